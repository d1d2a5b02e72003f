import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { dayAfter, makeDatePoll, makeDecideCircle, optionsOf } from '../../../../../tests/support/decide-factories';
import { signActionPath } from '../../kernel/action-links';
import { serverSecret } from '../../kernel/secret';
import type { InboundMail } from '../email/inbound';

const mails = async (app: TestApp) => (await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => JSON.parse(j.payload));
/** The token of the first link to `path` in a member's mails. */
const tokenIn = async (app: TestApp, to: string, path: string) => {
  for (const m of await mails(app)) {
    if (m.to !== to) continue;
    const hit = new RegExp(`${path.replace(/[/?]/g, '\\$&')}[^\\s]*?[?&]t=([0-9a-z]+\\.[0-9a-z]+\\.[A-Za-z0-9_-]{22})`).exec(m.text);
    if (hit) return hit[1];
  }
  throw new Error(`no link to ${path} for ${to}`);
};
const inbound = (o: Partial<InboundMail> & { from: string; recipient: string; text: string }): InboundMail => ({
  subject: 'Re: invitation',
  messageId: `<${Math.random().toString(36).slice(2)}@example.org>`,
  html: null,
  headers: {},
  contentType: 'text/plain',
  attachments: [],
  envelopeFrom: o.from,
  auth: { from: true, envelope: true, fromAddress: o.from, summary: 'dmarc=pass' },
  raw: Buffer.from(''),
  ...o,
});

describe.each(engines)('answering from the mail on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  it('a poll’s link opens for its member only (GET shows, POST acts); a forged, foreign or expired link is unknown', async () => {
    const p = await app.decide.createChoicePoll(c.admin.actor, { groupSlug: c.g.slug, title: 'Couleur', timeZone: 'Europe/Brussels', options: ['Jaune', 'Vert'], deadlineDate: dayAfter(app, 5) });
    const [, vert] = await optionsOf(app, p.id);
    const t = await tokenIn(app, c.emails.anne, `/polls/${p.id}/from-mail`);
    const shown = await app.decide.mail.pollLink({ id: p.id, t });
    expect([shown.as, shown.poll.title, shown.poll.choice!.voted]).toEqual(['Anne Peeters', 'Couleur', false]);
    await app.decide.mail.answerPollLink({ id: p.id, t, optionIds: [vert.id] });
    expect((await app.decide.poll(c.anne.actor, { pollId: p.id })).choice!.mine).toEqual([vert.id]);
    // Another poll's path, a changed signature, an old link: unknown.
    const other = await app.decide.createProposal(c.admin.actor, { groupSlug: c.g.slug, title: 'Charte', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 5) });
    await expect(app.decide.mail.pollLink({ id: other.id, t })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.decide.mail.pollLink({ id: p.id, t: t.slice(0, -3) + 'abc' })).rejects.toMatchObject({ kind: 'not_found' });
    const old = signActionPath(serverSecret(app.config.dataDir), `/polls/${p.id}/from-mail`, c.anne.id, new Date('2025-10-01T00:00:00Z'));
    await expect(app.decide.mail.pollLink({ id: p.id, t: old })).rejects.toMatchObject({ kind: 'not_found' });
    // A member who left the group can no longer answer with their link.
    const tb = await tokenIn(app, c.emails.bert, `/polls/${p.id}/from-mail`);
    await app.groups.leave(c.bert.actor, c.g.slug);
    await expect(app.decide.mail.answerPollLink({ id: p.id, t: tb, optionIds: [vert.id] })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a date poll answered from the mail, a proposal’s position from the mail', async () => {
    const p = await makeDatePoll(app, c.admin.actor, c.g.slug);
    const [o1, o2] = await optionsOf(app, p.id);
    const t = await tokenIn(app, c.emails.bert, `/polls/${p.id}/from-mail`);
    await app.decide.mail.answerPollLink({ id: p.id, t, answers: { [o1.id]: 'yes', [o2.id]: 'maybe' }, comment: 'depuis ma boîte' });
    const grid = (await app.decide.poll(c.anne.actor, { pollId: p.id })).date!;
    expect(grid.participants.map((x) => [x.name, x.answers[o1.id], x.comment])).toEqual([['Bert Janssens', 'yes', 'depuis ma boîte']]);
    const prop = await app.decide.createProposal(c.admin.actor, { groupSlug: c.g.slug, title: 'Charte', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 5) });
    const tp = await tokenIn(app, c.emails.anne, `/polls/${prop.id}/from-mail?p=block`);
    await expect(app.decide.mail.answerPollLink({ id: prop.id, t: tp, position: 'block' })).rejects.toMatchObject({ issues: [{ code: 'reason_required' }] });
    await app.decide.mail.answerPollLink({ id: prop.id, t: tp, position: 'block', reason: 'Pas assez discuté' });
    expect((await app.decide.poll(c.admin.actor, { pollId: prop.id })).proposal!.counts.block).toBe(1);
  });

  it('an invitation’s buttons RSVP; a reply saying “oui” or “nee” counts too; a calendar client’s reply as well; unclear replies get an explanation', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'Assemblée', timeZone: 'Europe/Brussels', startDate: '2026-02-12', startTime: '19:00' });
    const t = await tokenIn(app, c.emails.anne, `/events/${id}/from-mail`);
    expect((await app.decide.mail.eventLink({ id, t })).event.rsvp.mine).toBe(null);
    await app.decide.mail.rsvpLink({ id, t, answer: 'maybe' });
    expect((await app.decide.event(c.anne.actor, { eventId: id })).rsvp.mine).toBe('maybe');
    const replyTo = (await mails(app)).find((m) => m.to === c.emails.bert && m.replyTo?.startsWith('e+'))!.replyTo;
    const out = await app.email.receive(inbound({ from: c.emails.bert, recipient: replyTo, text: 'Oui, je serai là !\n\n> Le 15 janv. a écrit :\n> invitation' }));
    expect(out).toEqual({ kind: 'rsvp', answer: 'yes' });
    expect((await app.decide.event(c.bert.actor, { eventId: id })).rsvp.mine).toBe('yes');
    await app.email.receive(inbound({ from: c.emails.bert, recipient: replyTo, text: 'Nee, sorry.' }));
    expect((await app.decide.event(c.bert.actor, { eventId: id })).rsvp.mine).toBe('no');
    // Not understood: the member is told how to answer; nothing changes.
    expect(await app.email.receive(inbound({ from: c.emails.bert, recipient: replyTo, text: 'Je verrai bien.' }))).toEqual({ kind: 'bounced', reason: 'rsvp_unclear' });
    // Someone else replying to Bert's address, or an unproven sender: nothing.
    expect(await app.email.receive(inbound({ from: c.emails.anne, recipient: replyTo, text: 'yes' }))).toMatchObject({ kind: 'bounced', reason: 'wrong_sender' });
    expect(await app.email.receive(inbound({ from: c.emails.bert, recipient: replyTo, text: 'yes', auth: { from: false, envelope: false, fromAddress: c.emails.bert, summary: 'none' } }))).toMatchObject({ kind: 'ignored' });
    expect((await app.decide.event(c.bert.actor, { eventId: id })).rsvp.mine).toBe('no');
    // A calendar client accepts (iMIP REPLY to the group's address).
    const ics = ['BEGIN:VCALENDAR', 'METHOD:REPLY', 'BEGIN:VEVENT', `UID:${id}@${app.config.mailDomain}`, `ATTENDEE;PARTSTAT=ACCEPTED:mailto:${c.emails.admin}`, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    const accepted = await app.email.receive(inbound({ from: c.emails.admin, recipient: `${c.g.slug}@${app.config.mailDomain}`, subject: 'Accepted: Assemblée', text: '', attachments: [{ filename: 'reply.ics', contentType: 'text/calendar; method=REPLY', content: Buffer.from(ics) }] }));
    expect(accepted).toEqual({ kind: 'rsvp', answer: 'yes' });
    expect((await app.decide.event(c.admin.actor, { eventId: id })).rsvp.counts).toEqual({ yes: 1, maybe: 1, no: 1 });
    expect(await app.db.selectFrom('discussions').select('id').execute()).toEqual([]);
  });

  it('reminds those who have not answered, once, when less than a day is left; tells the author when the deadline passes', async () => {
    const p = await app.decide.createProposal(c.admin.actor, { groupSlug: c.g.slug, title: 'Charte', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 2), deadlineTime: '12:00' });
    await app.decide.respond(c.anne.actor, { pollId: p.id, position: 'agree' });
    const reminders = () => app.db.selectFrom('notifications').select(['userId', 'itemId']).where('reason', '=', 'reminder').execute();
    await app.decide.tick();
    expect(await reminders()).toEqual([]);
    app.clock.advance(36 * 3_600_000);
    await app.decide.tick();
    await app.decide.tick();
    expect((await reminders()).map((r) => r.userId).sort()).toEqual([c.admin.id, c.bert.id].sort());
    app.clock.advance(24 * 3_600_000);
    await app.decide.tick();
    expect((await reminders()).filter((r) => r.itemId === `${p.id}:deadline`).map((r) => r.userId)).toEqual([c.admin.id]);
    // The sweep schedules itself once per five-minute slot, whatever the number of processes.
    expect(await app.decide.scheduleTick()).toBe(true);
    expect(await app.decide.scheduleTick()).toBe(false);
  });
});
