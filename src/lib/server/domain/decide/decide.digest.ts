import type { DigestItem, DigestSource } from '../notifications';
import { answeredBy } from './repo';

const DAY = 86_400_000;
/** An open poll shows in the digest while this close to its deadline, for those who have not answered. */
export const CLOSING_SOON_MS = 2 * DAY;

/**
 * Deciding and meeting in a member's digest, in the groups they get digests for:
 * - polls, proposals and date polls opened by others in the window, and open ones closing
 *   within two days that the member has not answered;
 * - events added to the agenda by others in the window that are still ahead (not cancelled);
 * - decisions recorded in the window (outcomes of proposals, polls and meetings).
 * Only the member's own groups are looked at (the membership join is the policy here, as for
 * discussions); an anonymous poll shows its title only.
 */
export const decideDigest: DigestSource = async (db, { userId, windows, at }) => {
  const groupIds = [...windows.keys()];
  if (!groupIds.length) return [];
  const oldest = [...windows.values()].sort()[0];
  const soon = new Date(Date.parse(at) + CLOSING_SOON_MS).toISOString();
  const polls = await db
    .selectFrom('polls as p')
    .innerJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 'p.groupId').on('m.userId', '=', userId))
    .innerJoin('groups as g', 'g.id', 'p.groupId')
    .select(['p.id', 'p.kind', 'p.title', 'p.groupId', 'p.authorId', 'p.createdAt', 'p.deadlineAt', 'g.name as groupName'])
    .select((eb) => answeredBy(eb, userId).as('answered'))
    .where('p.groupId', 'in', groupIds)
    .where('p.deletedAt', 'is', null)
    .where('p.closedAt', 'is', null)
    .where((eb) => eb.or([eb('p.deadlineAt', 'is', null), eb('p.deadlineAt', '>', at)]))
    .where((eb) => eb.or([eb.and([eb('p.createdAt', '>', oldest), eb('p.createdAt', '<=', at), eb('p.authorId', '<>', userId)]), eb.and([eb('p.deadlineAt', 'is not', null), eb('p.deadlineAt', '<=', soon)])]))
    .orderBy('p.createdAt', 'desc')
    .limit(50)
    .execute();
  const events = await db
    .selectFrom('calendarEvents as e')
    .innerJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 'e.groupId').on('m.userId', '=', userId))
    .innerJoin('groups as g', 'g.id', 'e.groupId')
    .select(['e.id', 'e.title', 'e.groupId', 'e.createdAt', 'e.startsAt', 'e.isMeeting', 'g.name as groupName'])
    .where('e.groupId', 'in', groupIds)
    .where('e.status', '=', 'confirmed')
    .where('e.authorId', '<>', userId)
    .where('e.createdAt', '>', oldest)
    .where('e.createdAt', '<=', at)
    .where('e.seriesEndAt', '>', at)
    .orderBy('e.startsAt')
    .limit(50)
    .execute();
  const decisions = await db
    .selectFrom('decisions as d')
    .innerJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 'd.groupId').on('m.userId', '=', userId))
    .innerJoin('groups as g', 'g.id', 'd.groupId')
    .select(['d.id', 'd.title', 'd.groupId', 'd.url', 'd.decidedAt', 'd.createdAt', 'g.name as groupName'])
    .where('d.groupId', 'in', groupIds)
    .where('d.createdAt', '>', oldest)
    .where('d.createdAt', '<=', at)
    .orderBy('d.createdAt', 'desc')
    .limit(50)
    .execute();

  const inWindow = (groupId: string, t: string) => t > windows.get(groupId)!;
  const out: DigestItem[] = [];
  for (const p of polls) {
    const fresh = p.authorId !== userId && inWindow(p.groupId, p.createdAt);
    const closing = !!p.deadlineAt && p.deadlineAt <= soon && !Number(p.answered);
    if (!fresh && !closing) continue;
    const kind = p.kind === 'date' ? 'date' : p.kind === 'proposal' ? 'proposal' : 'poll';
    const note = closing ? { key: `decide.digest.${kind}_closing`, at: p.deadlineAt } : p.deadlineAt ? { key: `decide.digest.${kind}_until`, at: p.deadlineAt } : { key: `decide.digest.${kind}_open` };
    out.push({ groupId: p.groupId, groupName: p.groupName, title: p.title, url: `/polls/${p.id}`, newCount: 0, lastActivityAt: p.createdAt, note });
  }
  for (const e of events) {
    if (!inWindow(e.groupId, e.createdAt)) continue;
    out.push({ groupId: e.groupId, groupName: e.groupName, title: e.title, url: `/events/${e.id}`, newCount: 0, lastActivityAt: e.createdAt, note: { key: Number(e.isMeeting) ? 'decide.digest.meeting' : 'decide.digest.event', at: e.startsAt } });
  }
  for (const d of decisions) {
    if (!inWindow(d.groupId, d.createdAt)) continue;
    out.push({ groupId: d.groupId, groupName: d.groupName, title: d.title, url: d.url, newCount: 0, lastActivityAt: d.createdAt, note: { key: 'decide.digest.decision', at: d.decidedAt } });
  }
  return out;
};
