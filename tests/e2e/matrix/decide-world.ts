/**
 * The matrix's deciding and meeting, in each group: a date poll answered with a comment, an
 * anonymous choice poll (its voter a member who does nothing else, so their name tells whether
 * a surface links them to their vote), a proposal with a reasoned position, a decided one (the
 * decision log), and a meeting with an RSVP, an agenda item, minutes, a decision and an action
 * item. Every text carries its marker.
 */
import type { App } from '../../../src/lib/server/app';
import { insertUser } from '../../../src/lib/server/domain/accounts/users';
import type { UserId } from '../../../src/lib/server/kernel/ids';
import type { Actor } from '../../../src/lib/server/policy';

export type DecideWorld = { datePollId: string; anonPollId: string; proposalId: string; decidedId: string; eventId: string; agendaItemId: string; actionItemId: string; voter: { id: string; handle: string } };

/** Markers of deciding and meeting that whoever reads the group sees. */
export const DECIDE_FIELDS = ['datepoll', 'datecomment', 'anontitle', 'anonyes', 'proposal', 'reason', 'outcome', 'eventtitle', 'eventplace', 'agendaitem', 'minutes', 'meetingdecision', 'actionitem'] as const;

export async function seedDecide(app: App, o: { vis: string; groupId: string; slug: string; admin: Actor; member: Actor; m: (field: string) => string }): Promise<DecideWorld> {
  const { slug, admin, member, m } = o;
  const d = app.decide;
  const tz = 'Europe/Brussels';
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const now = new Date().toISOString();

  const date = await d.createDatePoll(admin, { groupSlug: slug, title: `Date ${m('datepoll')}`, timeZone: tz, slots: [{ date: day(10), start: '19:00', end: '21:00' }, { date: day(11) }] });
  const slots = (await app.db.selectFrom('pollOptions').select('id').where('pollId', '=', date.id).orderBy('position').execute()).map((x) => x.id);
  await d.answerDatePoll(member, { pollId: date.id, answers: { [slots[0]]: 'yes', [slots[1]]: 'maybe' }, comment: `Note ${m('datecomment')}` });

  const v = await insertUser(app.deps, app.db, { name: m('anonvoter'), handle: `anon_${o.vis}`, email: `anon-${o.vis}@example.org` });
  await app.db.insertInto('memberships').values({ groupId: o.groupId, userId: v.id, role: 'member', createdAt: now, readFloorSeq: 0, unreadCount: 0 }).execute();
  const anon = await d.createChoicePoll(admin, { groupSlug: slug, title: `Vote ${m('anontitle')}`, timeZone: tz, options: [`Oui ${m('anonyes')}`, 'Non'], anonymous: true, deadlineDate: day(10) });
  const yes = await app.db.selectFrom('pollOptions').select('id').where('pollId', '=', anon.id).orderBy('position').executeTakeFirstOrThrow();
  await d.vote(await app.sessions.actorFor(v.id as UserId), { pollId: anon.id, optionIds: [yes.id] });

  const proposal = await d.createProposal(admin, { groupSlug: slug, title: `Proposition ${m('proposal')}`, timeZone: tz, deadlineDate: day(10) });
  await d.respond(member, { pollId: proposal.id, position: 'agree', reason: `Parce que ${m('reason')}` });
  const decided = await d.createProposal(admin, { groupSlug: slug, title: 'Décidée', timeZone: tz, deadlineDate: day(10) });
  await d.close(admin, { pollId: decided.id, outcome: `Adoptée ${m('outcome')}` });

  const ev = await d.createEvent(admin, { groupSlug: slug, title: `Réunion ${m('eventtitle')}`, timeZone: tz, startDate: day(10), startTime: '19:00', endTime: '21:00', location: `Salle ${m('eventplace')}`, isMeeting: true });
  await d.rsvp(member, { eventId: ev.id, answer: 'yes' });
  const item = await d.addAgendaItem(admin, { eventId: ev.id, title: `Point ${m('agendaitem')}` });
  await d.saveMinutes(admin, { eventId: ev.id, minutes: `PV ${m('minutes')}`, items: [{ id: item.id, notes: '', decision: `Décidé ${m('meetingdecision')}` }], actions: [{ title: `Action ${m('actionitem')}` }] });
  const action = await app.db.selectFrom('actionItems').select('id').where('eventId', '=', ev.id).executeTakeFirstOrThrow();
  return { datePollId: date.id, anonPollId: anon.id, proposalId: proposal.id, decidedId: decided.id, eventId: ev.id, agendaItemId: item.id, actionItemId: action.id, voter: { id: v.id, handle: v.handle } };
}
