import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeDecideCircle, notificationsOf } from '../../../../../tests/support/decide-factories';
import { visitor } from '../../policy';

const mails = async (app: TestApp) => (await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => JSON.parse(j.payload));

describe.each(engines)('events on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'open');
  });
  afterEach(async () => app.cleanup());
  const base = () => ({ groupSlug: c.g.slug, title: 'Stand au marché', timeZone: 'Europe/Brussels', startDate: '2026-02-07', startTime: '09:00', endTime: '13:00', location: 'Place Flagey' });

  it('refuses dates in the past, an end before the start and unknown zones, writing nothing', async () => {
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), startDate: '2026-01-10' })).rejects.toMatchObject({ issues: [{ path: 'startDate', code: 'date_past' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), endTime: '08:00' })).rejects.toMatchObject({ issues: [{ path: 'endTime', code: 'bad_range' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), allDay: true, endDate: '2026-02-01' })).rejects.toMatchObject({ issues: [{ path: 'endDate', code: 'bad_range' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), startTime: '' })).rejects.toMatchObject({ issues: [{ path: 'startTime', code: 'required' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), timeZone: 'Europe/Nowhere' })).rejects.toMatchObject({ issues: [{ path: 'timeZone', code: 'bad_zone' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), repeat: 'weekly', repeatUntil: '2026-01-20' })).rejects.toMatchObject({ issues: [{ path: 'repeatUntil', code: 'bad_range' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), rrule: 'FREQ=HOURLY' })).rejects.toMatchObject({ issues: [{ path: 'rrule', code: 'bad_rrule' }] });
    await expect(app.decide.createEvent(c.anne.actor, { ...base(), rrule: 'nonsense' })).rejects.toMatchObject({ issues: [{ path: 'rrule', code: 'bad_rrule' }] });
    await expect(app.decide.createEvent(c.outsider.actor, base())).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await app.db.selectFrom('calendarEvents').select('id').execute()).toEqual([]);
  });

  it('an open group’s events are read by visitors; every member is told of a new one with yes / maybe / no buttons and the invitation', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, { ...base(), capacity: 2 });
    const v = await app.decide.event(visitor, { eventId: id });
    expect([v.event.title, v.occurrence.startsAt, v.occurrence.endsAt]).toEqual(['Stand au marché', '2026-02-07T08:00:00.000Z', '2026-02-07T12:00:00.000Z']);
    expect((await notificationsOf(app, c.bert.id)).map((n) => [n.subjectKind, n.reason])).toEqual([['event', 'watcher']]);
    const m = (await mails(app)).find((x) => x.to === c.emails.bert);
    expect(m.text).toMatch(new RegExp(`/events/${id}/from-mail\\?a=maybe&t=`));
    expect(m.attachments[0].content).toContain('BEGIN:VTIMEZONE');
    const list = await app.decide.agenda(visitor, { groupSlug: c.g.slug });
    expect(list.items.map((o) => o.title)).toEqual(['Stand au marché']);
  });

  it('RSVP: counts and people; a full event refuses one more yes; a cancelled one refuses any answer and tells those who come', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, { ...base(), capacity: 1 });
    await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes' });
    await expect(app.decide.rsvp(c.bert.actor, { eventId: id, answer: 'yes' })).rejects.toMatchObject({ kind: 'conflict', code: 'event_full' });
    await app.decide.rsvp(c.bert.actor, { eventId: id, answer: 'maybe' });
    await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes' });
    let v = await app.decide.event(c.bert.actor, { eventId: id });
    expect(v.rsvp.counts).toEqual({ yes: 1, maybe: 1, no: 0 });
    expect(v.rsvp.full).toBe(true);
    expect(v.rsvp.mine).toBe('maybe');
    await expect(app.decide.rsvp(visitor, { eventId: id, answer: 'yes' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(app.decide.cancelEvent(c.bert.actor, { eventId: id })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.decide.cancelEvent(c.admin.actor, { eventId: id });
    await expect(app.decide.rsvp(c.bert.actor, { eventId: id, answer: 'no' })).rejects.toMatchObject({ kind: 'conflict', code: 'event_cancelled' });
    v = await app.decide.event(c.bert.actor, { eventId: id });
    expect([v.event.cancelled, v.event.sequence]).toEqual([true, 1]);
    for (const who of ['anne', 'bert'] as const) {
      const cancel = (await mails(app)).find((x) => x.to === c.emails[who] && x.attachments?.[0]?.method === 'CANCEL');
      expect(cancel.attachments[0].content).toMatch(/STATUS:CANCELLED/);
      expect(cancel.attachments[0].content).toMatch(/SEQUENCE:1/);
    }
    // After it is over, answers are refused too.
    const later = await app.decide.createEvent(c.admin.actor, base());
    app.clock.advance(30 * 86_400_000);
    await expect(app.decide.rsvp(c.bert.actor, { eventId: later.id, answer: 'yes' })).rejects.toMatchObject({ code: 'event_past' });
  });

  it('a weekly series keeps its local time across the change to summer time; one occurrence is moved, another cancelled', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, { ...base(), title: 'Permanence', startDate: '2026-03-17', startTime: '19:00', endTime: '20:30', repeat: 'weekly', repeatCount: 4 });
    const e = await app.db.selectFrom('calendarEvents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(e.rrule).toBe('FREQ=WEEKLY;INTERVAL=1;COUNT=4');
    expect(e.seriesEndAt).toBe('2026-04-07T18:30:00.000Z');
    const month = await app.decide.agenda(c.anne.actor, { groupSlug: c.g.slug, month: '2026-03', timeZone: 'Europe/Brussels' });
    expect(month.items.map((o) => [o.key, o.startsAt])).toEqual([
      ['2026-03-17T19:00', '2026-03-17T18:00:00.000Z'],
      ['2026-03-24T19:00', '2026-03-24T18:00:00.000Z'],
      ['2026-03-31T19:00', '2026-03-31T17:00:00.000Z'],
    ]);
    expect(month.weeks.flat().find((d) => d.date === '2026-03-31')!.events.map((o) => o.title)).toEqual(['Permanence']);
    // Anne comes to the 24th; that occurrence moves to 20:00; the 31st is cancelled.
    await app.decide.rsvp(c.anne.actor, { eventId: id, occurrence: '2026-03-24T19:00', answer: 'yes' });
    await app.decide.editEvent(c.admin.actor, { eventId: id, occurrence: '2026-03-24T19:00', title: 'Permanence (plus tard)', timeZone: 'Europe/Brussels', startDate: '2026-03-24', startTime: '20:00', endTime: '21:30' });
    await app.decide.cancelEvent(c.admin.actor, { eventId: id, occurrence: '2026-03-31T19:00' });
    await expect(app.decide.rsvp(c.anne.actor, { eventId: id, occurrence: '2026-03-31T19:00', answer: 'yes' })).rejects.toMatchObject({ code: 'event_cancelled' });
    await expect(app.decide.rsvp(c.anne.actor, { eventId: id, occurrence: '2026-03-25T19:00', answer: 'yes' })).rejects.toMatchObject({ kind: 'not_found' });
    const after = await app.decide.agenda(c.anne.actor, { groupSlug: c.g.slug, month: '2026-03', timeZone: 'Europe/Brussels' });
    expect(after.items.map((o) => [o.key, o.title, o.startsAt])).toEqual([
      ['2026-03-17T19:00', 'Permanence', '2026-03-17T18:00:00.000Z'],
      ['2026-03-24T19:00', 'Permanence (plus tard)', '2026-03-24T19:00:00.000Z'],
    ]);
    // Anne, who comes on the 24th, hears of its change with the calendar update.
    const upd = (await mails(app)).filter((x) => x.to === c.emails.anne && x.attachments?.[0]?.method === 'REQUEST' && /RECURRENCE-ID/.test(x.attachments[0].content));
    expect(upd).toHaveLength(1);
    expect((await app.db.selectFrom('calendarEvents').select('sequence').where('id', '=', id).executeTakeFirstOrThrow()).sequence).toBe(2);
    // Editing the series to a new end drops nothing that still exists.
    await app.decide.editEvent(c.admin.actor, { eventId: id, ...base(), title: 'Permanence', startDate: '2026-03-17', startTime: '19:00', endTime: '20:30', repeat: 'weekly', repeatCount: 6 });
    expect((await app.db.selectFrom('calendarEventExceptions').select('occurrence').where('eventId', '=', id).orderBy('occurrence').execute()).map((x) => x.occurrence)).toEqual(['2026-03-24T19:00', '2026-03-31T19:00']);
  });

  it('the next occurrence answers when none is named, and the event page shows it', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, { ...base(), title: 'Réunion mensuelle', startDate: '2026-01-20', startTime: '19:00', endTime: '21:00', repeat: 'monthly' });
    app.clock.advance(10 * 86_400_000); // 25 January: the 20 January is past
    const r = await app.decide.rsvp(c.bert.actor, { eventId: id, answer: 'yes' });
    expect(r.occurrence).toBe('2026-02-20T19:00');
    const v = await app.decide.event(c.bert.actor, { eventId: id });
    expect([v.occurrence.key, v.rsvp.mine, v.upcoming.length]).toEqual(['2026-02-20T19:00', 'yes', 8]);
  });

  it('an RSVP sent again by a device outbox under its key never overwrites the answer given since, and is recorded once', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, base());
    const first = await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes', key: 'rsvp-key-0001' });
    await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'no', key: 'rsvp-key-0002' });
    expect(await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes', key: 'rsvp-key-0001' })).toEqual(first);
    const rows = await app.db.selectFrom('eventRsvps').select('answer').where('eventId', '=', id).where('userId', '=', c.anne.id).execute();
    expect(rows).toEqual([{ answer: 'no' }]);
    expect((await app.db.selectFrom('events').select('id').where('type', '=', 'event.rsvped').execute()).length).toBe(2);
    await expect(app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'maybe', key: 'bad key!' })).rejects.toMatchObject({ issues: [{ path: 'key', code: 'bad_key' }] });
  });
});
