import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { dayAfter, makeDatePoll, makeDecideCircle, notificationsOf, optionsOf } from '../../../../../tests/support/decide-factories';
import { visitor } from '../../policy';
import { guestToken } from './guests';
import { serverSecret } from '../../kernel/secret';

const jobs = async (app: TestApp) => (await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => JSON.parse(j.payload));

describe.each(engines)('date polls on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app);
  });
  afterEach(async () => app.cleanup());

  it('refuses a poll without options, slots in the past, impossible ranges and unknown zones, writing nothing', async () => {
    const base = { groupSlug: c.g.slug, title: 'Date', timeZone: 'Europe/Brussels' };
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [] })).rejects.toMatchObject({ issues: [{ path: 'slots', code: 'no_options' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [{ date: '2026-01-10', start: '19:00' }] })).rejects.toMatchObject({ issues: [{ path: 'date.0', code: 'date_past' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [{ date: dayAfter(app, 3), start: '19:00', end: '18:00' }] })).rejects.toMatchObject({ issues: [{ path: 'end.0', code: 'bad_range' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [{ date: '2026-02-31' }] })).rejects.toMatchObject({ issues: [{ path: 'date.0', code: 'bad_date' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [{ date: dayAfter(app, 3), start: '25:00' }] })).rejects.toMatchObject({ issues: [{ path: 'start.0', code: 'bad_time' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, timeZone: 'Mars/Olympus', slots: [{ date: dayAfter(app, 3) }] })).rejects.toMatchObject({ issues: [{ path: 'timeZone', code: 'bad_zone' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [{ date: dayAfter(app, 3) }, { date: dayAfter(app, 3) }] })).rejects.toMatchObject({ issues: [{ path: 'date.1', code: 'duplicate_option' }] });
    await expect(app.decide.createDatePoll(c.anne.actor, { ...base, slots: [{ date: dayAfter(app, 3) }], allowGuests: true })).rejects.toMatchObject({ issues: [{ path: 'allowGuests', code: 'guests_not_allowed' }] });
    await expect(app.decide.createDatePoll(c.outsider.actor, { ...base, slots: [{ date: dayAfter(app, 3) }] })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await app.db.selectFrom('polls').select('id').execute()).toEqual([]);
    expect(await app.db.selectFrom('pollOptions').select('id').execute()).toEqual([]);
  });

  it('stores each slot as its local time and its UTC instant, across a daylight-saving change', async () => {
    const p = await app.decide.createDatePoll(c.anne.actor, { groupSlug: c.g.slug, title: 'DST', timeZone: 'Europe/Brussels', slots: [{ date: '2026-03-28', start: '19:00' }, { date: '2026-03-30', start: '19:00' }] });
    const [a, b] = await optionsOf(app, p.id);
    expect(a.startsAt).toBe('2026-03-28T18:00:00.000Z');
    expect(b.startsAt).toBe('2026-03-30T17:00:00.000Z');
    expect([a.localStart, b.localStart]).toEqual(['19:00', '19:00']);
  });

  it('members answer yes / if need be / no, change their answers, and the best slot stands out', async () => {
    const p = await makeDatePoll(app, c.admin.actor, c.g.slug);
    const [o1, o2, o3] = await optionsOf(app, p.id);
    await app.decide.answerDatePoll(c.anne.actor, { pollId: p.id, answers: { [o1.id]: 'yes', [o2.id]: 'maybe', [o3.id]: 'no' }, comment: 'Plutôt mardi' });
    await app.decide.answerDatePoll(c.bert.actor, { pollId: p.id, answers: { [o1.id]: 'no', [o2.id]: 'yes' } });
    let v = await app.decide.poll(c.anne.actor, { pollId: p.id });
    expect(v.date!.options.map((o) => [o.yes, o.maybe, o.no, o.best])).toEqual([[1, 0, 1, false], [1, 1, 0, true], [0, 0, 1, false]]);
    // Anne changes her mind: one row for her, her new answers.
    await app.decide.answerDatePoll(c.anne.actor, { pollId: p.id, answers: { [o1.id]: 'yes', [o2.id]: 'no', [o3.id]: 'yes' }, comment: '' });
    v = await app.decide.poll(c.bert.actor, { pollId: p.id });
    expect(v.date!.participants).toHaveLength(2);
    expect(v.date!.participants.find((x) => x.name === 'Anne Peeters')!.answers).toEqual({ [o1.id]: 'yes', [o2.id]: 'no', [o3.id]: 'yes' });
    // Now each slot has one yes and no "if need be": all three stand out alike.
    expect(v.date!.options.map((o) => o.best)).toEqual([true, true, true]);
    // An option of another poll, or none at all, is refused.
    await expect(app.decide.answerDatePoll(c.anne.actor, { pollId: p.id, answers: {} })).rejects.toMatchObject({ issues: [{ code: 'answer_required' }] });
    await expect(app.decide.answerDatePoll(c.anne.actor, { pollId: p.id, answers: { 'not-an-option': 'yes' } })).rejects.toMatchObject({ issues: [{ code: 'bad_option' }] });
    // Outsiders and visitors: the poll does not exist for them.
    await expect(app.decide.answerDatePoll(c.outsider.actor, { pollId: p.id, answers: { [o1.id]: 'yes' } })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.decide.poll(visitor, { pollId: p.id })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('every member is told of a new date poll, with a signed link to answer from the mail', async () => {
    const p = await makeDatePoll(app, c.admin.actor, c.g.slug);
    const n = await notificationsOf(app, c.anne.id);
    expect(n.map((x) => [x.subjectKind, x.reason])).toEqual([['poll', 'watcher']]);
    expect(await notificationsOf(app, c.admin.id)).toEqual([]);
    expect(await notificationsOf(app, c.outsider.id)).toEqual([]);
    const mail = (await jobs(app)).find((m) => m.to === c.emails.anne)!;
    expect(mail.text).toMatch(new RegExp(`/polls/${p.id}/from-mail\\?t=[0-9a-z]+\\.[0-9a-z]+\\.[A-Za-z0-9_-]{22}`));
  });

  it('closing picks a slot: the poll closes, an event is created and the participants are invited with an .ics', async () => {
    const p = await makeDatePoll(app, c.admin.actor, c.g.slug);
    const [o1] = await optionsOf(app, p.id);
    await app.decide.answerDatePoll(c.anne.actor, { pollId: p.id, answers: { [o1.id]: 'yes' } });
    await app.decide.answerDatePoll(c.bert.actor, { pollId: p.id, answers: { [o1.id]: 'maybe' } });
    await expect(app.decide.close(c.anne.actor, { pollId: p.id, optionId: o1.id })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.decide.close(c.admin.actor, { pollId: p.id })).rejects.toMatchObject({ issues: [{ path: 'optionId', code: 'required' }] });
    const { eventId } = await app.decide.close(c.admin.actor, { pollId: p.id, optionId: o1.id, outcome: 'Chez Anne.' });
    const e = await app.db.selectFrom('calendarEvents').selectAll().where('id', '=', eventId!).executeTakeFirstOrThrow();
    expect([e.localStart, e.localEnd, e.timeZone, e.sourcePollId]).toEqual([`${o1.localDate}T19:00`, `${o1.localDate}T21:00`, 'Europe/Brussels', p.id]);
    const v = await app.decide.poll(c.anne.actor, { pollId: p.id });
    expect([v.closed, v.chosenOptionId, v.eventId]).toEqual([true, o1.id, eventId]);
    // Invited: Anne and Bert (reason "replied"), with the invitation attached and one-click answers.
    for (const who of ['anne', 'bert'] as const) {
      const n = (await notificationsOf(app, c[who].id)).find((x) => x.subjectKind === 'event')!;
      expect(n.reason).toBe('replied');
      const mail = (await jobs(app)).find((m) => m.to === c.emails[who] && m.attachments)!;
      expect(mail.attachments[0]).toMatchObject({ filename: 'invite.ics', method: 'REQUEST' });
      const cal = new ICAL.Component(ICAL.parse(mail.attachments[0].content));
      expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
      const ev = cal.getFirstSubcomponent('vevent')!;
      expect(ev.getFirstPropertyValue('uid')).toBe(`${eventId}@${app.config.mailDomain}`);
      expect(mail.text).toMatch(new RegExp(`/events/${eventId}/from-mail\\?a=yes&t=`));
      expect(mail.replyTo).toMatch(/^e\+/);
    }
    // The decision log keeps the date.
    const log = await app.decide.decisions(c.bert.actor, { groupSlug: c.g.slug });
    expect(log.items.map((d) => [d.kind, d.title])).toEqual([['date', 'Réunion de coordination']]);
    // Closed: no more answers, no second close.
    await expect(app.decide.answerDatePoll(c.anne.actor, { pollId: p.id, answers: { [o1.id]: 'no' } })).rejects.toMatchObject({ kind: 'conflict', code: 'poll_closed' });
    await expect(app.decide.close(c.admin.actor, { pollId: p.id, optionId: o1.id })).rejects.toMatchObject({ code: 'poll_closed' });
    expect(await app.db.selectFrom('calendarEvents').select('id').execute()).toHaveLength(1);
  });

  describe('guests', () => {
    const link = (pollId: string, version = 1) => guestToken(serverSecret(app.config.dataDir), pollId, version);

    it('answer through the shared link only when the group and the poll allow it', async () => {
      const closedPoll = await makeDatePoll(app, c.admin.actor, c.g.slug);
      await expect(app.decide.guestView({ token: link(closedPoll.id) })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.decide.setGuestPolls(c.anne.actor, { groupSlug: c.g.slug, on: true })).rejects.toMatchObject({ kind: 'forbidden' });
      await app.decide.setGuestPolls(c.admin.actor, { groupSlug: c.g.slug, on: true });
      const p = await makeDatePoll(app, c.admin.actor, c.g.slug, { allowGuests: true });
      const [o1, o2] = await optionsOf(app, p.id);
      const v = await app.decide.guestView({ token: link(p.id) });
      expect(v.poll.title).toBe('Réunion de coordination');
      const g = await app.decide.answerAsGuest({ token: link(p.id), name: 'Émile Dupont', email: 'emile@example.net', answers: { [o1.id]: 'yes', [o2.id]: 'no' }, locale: 'fr' });
      // Their row shows as theirs with their secret; the mailed link carries it.
      expect((await app.decide.guestView({ token: link(p.id), secret: g.secret })).participants.find((x) => x.mine)?.name).toBe('Émile Dupont');
      const mail = (await jobs(app)).find((m) => m.to === 'emile@example.net')!;
      expect(mail.text).toContain(`/polls/guest/${link(p.id)}?edit=${encodeURIComponent(g.secret)}`);
      // Changing: with the secret only; the same name again is a second answer, refused.
      await app.decide.editGuestAnswer({ token: link(p.id), secret: g.secret, answers: { [o1.id]: 'maybe' } });
      await expect(app.decide.editGuestAnswer({ token: link(p.id), secret: 'wrong', answers: { [o1.id]: 'no' } })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.decide.answerAsGuest({ token: link(p.id), name: 'emile dupont ', answers: { [o1.id]: 'no' } })).rejects.toMatchObject({ issues: [{ path: 'name', code: 'guest_name_taken' }] });
      const again = { token: link(p.id), name: 'Zoé', answers: { [o1.id]: 'yes' }, key: 'form-key-0001' };
      await app.decide.answerAsGuest(again);
      await expect(app.decide.answerAsGuest({ ...again, name: 'Zoé B' })).rejects.toMatchObject({ code: 'guest_already_answered' });
      const grid = await app.decide.poll(c.anne.actor, { pollId: p.id });
      expect(grid.date!.participants.map((x) => [x.name, x.guest, x.answers[o1.id]])).toEqual([['Émile Dupont', true, 'maybe'], ['Zoé', true, 'yes']]);
      // A forged or revoked link is unknown; once the poll is closed the link has expired.
      await expect(app.decide.guestView({ token: link(p.id, 2) })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.decide.guestView({ token: link(p.id).slice(0, -2) + 'xx' })).rejects.toMatchObject({ kind: 'not_found' });
      await app.decide.close(c.admin.actor, { pollId: p.id, optionId: o1.id });
      await expect(app.decide.answerAsGuest({ token: link(p.id), name: 'Late', answers: { [o1.id]: 'yes' } })).rejects.toMatchObject({ kind: 'conflict', code: 'guest_link_expired' });
      // The group stops allowing guests: the links no longer open.
      await app.decide.setGuestPolls(c.admin.actor, { groupSlug: c.g.slug, on: false });
      await expect(app.decide.guestView({ token: link(p.id) })).rejects.toMatchObject({ kind: 'not_found' });
    });
  });
});
