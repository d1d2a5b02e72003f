import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import { can, groupReadBy } from '../../policy';
import { excerptOf, type Announcement, type Candidate, type NoticeData, type Notifiers, type SubjectVisibility } from '../notifications';
import { buildCalendar } from './ics';
import { agendaOf } from './meetings';
import { exceptionsOf, nextOccurrence, occurrenceOf, type Occurrence } from './occurrences';
import { eventFacts, findEvent, findPoll, memberIds, pollFacts, type EventRow, type PollRow } from './repo';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function actorOf(tx: Tx, id: string | null) {
  return id ? ((await tx.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null) : null;
}
const everyone = async (tx: Tx, groupId: string, reason: Candidate['reason']): Promise<Candidate[]> => (await memberIds(tx, groupId)).map((userId) => ({ userId, reason }));
const told = (ids: string[], reason: Candidate['reason']): Candidate[] => ids.map((userId) => ({ userId, reason }));

/** The one-click answers a poll's mail carries (signed per recipient by the channel). */
async function pollActions(tx: Tx, p: PollRow): Promise<NonNullable<NoticeData['actions']>> {
  const url = `/polls/${p.id}/from-mail`;
  if (p.kind === 'date') return [{ label: 'decide.mail.answer_dates', url }];
  if (p.kind === 'proposal') return (['agree', 'abstain', 'disagree', 'block'] as const).map((x) => ({ label: `decide.position.${x}`, url: `${url}?p=${x}` }));
  const options = await tx.selectFrom('pollOptions').select(['id', 'label']).where('pollId', '=', p.id).orderBy('position').execute();
  if (p.multiple === 1 || options.length > 6) return [{ label: 'decide.mail.vote', url }];
  return options.map((o) => ({ label: 'decide.mail.vote_for', params: { option: o.label }, url: `${url}?o=${o.id}` }));
}

function pollBase(p: PollRow, actor: { id: string; name: string } | null, deps: Deps) {
  return {
    subject: { kind: 'poll', id: p.id },
    groupId: p.groupId,
    mayRead: (a: Parameters<Announcement['mayRead']>[0]) => can(a, 'poll.read', pollFacts(p, deps.clock.now())),
    group: { slug: p.group.slug, name: p.group.name },
    actor,
  };
}

async function pollNotice(tx: Tx, pollId: string, deps: Deps, actorId: string | null, o: { key: string; itemId: (p: PollRow) => string; candidates: (p: PollRow) => Promise<Candidate[]>; withActions: boolean; outcome?: boolean }): Promise<Announcement | null> {
  const p = await findPoll(tx, pollId);
  if (!p || p.deletedAt) return null;
  const b = pollBase(p, await actorOf(tx, actorId), deps);
  const text = o.outcome ? p.outcome : p.description;
  const html = o.outcome ? p.outcomeHtml : p.descriptionHtml;
  return {
    subject: b.subject,
    groupId: b.groupId,
    mayRead: b.mayRead,
    itemId: o.itemId(p),
    candidates: await o.candidates(p),
    data: {
      title: p.title,
      url: `/polls/${p.id}`,
      summary: { key: `${o.key}.${p.kind}`, params: { name: b.actor?.name ?? '', title: p.title, group: p.group.name } },
      excerpt: text ? excerptOf(text) : undefined,
      body: text ? { text, html } : undefined,
      group: b.group,
      actor: b.actor,
      ...(p.deadlineAt && !o.outcome ? { when: { startsAt: p.deadlineAt } } : {}),
      ...(o.withActions ? { actions: await pollActions(tx, p) } : {}),
    },
  };
}

/** An event's notice content: its time (shown in each member's zone), place, text, a meeting's agenda, and its calendar object. */
async function eventNotice(tx: Tx, e: EventRow, occ: Occurrence, deps: Deps, o: { key: string; itemId: string; candidates: Candidate[]; actorId: string | null; method?: 'REQUEST' | 'CANCEL'; only?: string; rsvp: boolean }): Promise<Announcement> {
  const actor = await actorOf(tx, o.actorId);
  const place = [occ.location, e.onlineUrl].filter(Boolean);
  const text: string[] = [];
  const html: string[] = [];
  if (place.length) (text.push(place.join(' — ')), html.push(`<p>📍 ${place.map(esc).join(' — ')}</p>`));
  if (e.description) (text.push(e.description), html.push(e.descriptionHtml));
  if (e.isMeeting === 1) {
    const agenda = await agendaOf(tx, { kind: 'visitor' }, e, occ.key);
    if (agenda.items.length) {
      text.push(agenda.items.map((i, n) => `${n + 1}. ${i.title}${i.owner ? ` (${i.owner.name})` : ''}${i.durationMin ? ` — ${i.durationMin} min` : ''}`).join('\n'));
      html.push(`<ol>${agenda.items.map((i) => `<li>${esc(i.title)}${i.owner ? ` (${esc(i.owner.name)})` : ''}${i.durationMin ? ` — ${i.durationMin} min` : ''}</li>`).join('')}</ol>`);
    }
  }
  const xs = (await exceptionsOf(tx, [e.id])).get(e.id) ?? [];
  const ics = o.method
    ? buildCalendar({ name: e.title, domain: deps.config.mailDomain, method: o.method, items: [{ event: e, exceptions: xs, url: `${deps.config.baseUrl}/events/${e.id}`, organizer: { name: e.group.name, email: `${e.group.slug}@${deps.config.mailDomain}` }, occurrence: o.only }], now: deps.clock.now() })
    : null;
  const url = occ.url;
  const rsvpUrl = `/events/${e.id}/from-mail${occ.key ? `?occurrence=${encodeURIComponent(occ.key)}&` : '?'}`;
  return {
    subject: { kind: 'event', id: e.id },
    itemId: o.itemId,
    groupId: e.groupId,
    candidates: o.candidates,
    mayRead: (a) => can(a, 'event.read', eventFacts(e)),
    data: {
      title: occ.title,
      url,
      summary: { key: o.key, params: { name: actor?.name ?? '', title: occ.title, group: e.group.name } },
      excerpt: excerptOf(text.join(' · ') || occ.title),
      body: text.length ? { text: text.join('\n\n'), html: html.join('\n') } : undefined,
      group: { slug: e.group.slug, name: e.group.name },
      actor,
      when: { startsAt: occ.startsAt, endsAt: occ.endsAt, allDay: occ.allDay, timeZone: e.timeZone },
      ...(o.rsvp ? { actions: (['yes', 'maybe', 'no'] as const).map((a) => ({ label: `decide.rsvp.${a}`, url: `${rsvpUrl}a=${a}` })), replyTo: { kind: 'event' as const, id: e.id } } : {}),
      ...(ics ? { calendar: { method: o.method!, ics } } : {}),
    },
  };
}

async function eventAndOccurrence(tx: Tx, eventId: string, key: string | null, now: Date) {
  const e = await findEvent(tx, eventId);
  if (!e) return null;
  const xs = (await exceptionsOf(tx, [e.id])).get(e.id) ?? [];
  const occ = key ? occurrenceOf(e, key, xs.find((x) => x.occurrence === key)) : e.rrule ? nextOccurrence(e, xs, now) : occurrenceOf(e, '', undefined);
  return { e, occ };
}

/**
 * Who hears of deciding and meeting, and why: a new poll, proposal or event reaches every
 * member of its group ("watcher": the inbox, and mail as their group mail level allows),
 * with one-click answers; reminders reach those who have not answered or who come
 * ("reminder"); the event a date poll became invites its participants ("replied": the
 * answer to what they took part in); a change or cancellation reaches those who said they
 * come, with the calendar update (SEQUENCE raised) or cancellation.
 */
export const decideNotifiers: Notifiers = {
  'poll.created': (tx, e, deps) => pollNotice(tx, e.data.pollId, deps, e.actorId, { key: 'notify.poll_created', itemId: (p) => p.id, candidates: (p) => everyone(tx, p.groupId, 'watcher'), withActions: true }),
  'poll.reminder_due': (tx, e, deps) => pollNotice(tx, e.data.pollId, deps, null, { key: 'notify.poll_reminder', itemId: (p) => `${p.id}:reminder`, candidates: async () => told(e.data.userIds, 'reminder'), withActions: true }),
  'poll.deadline_passed': (tx, e, deps) => pollNotice(tx, e.data.pollId, deps, null, { key: 'notify.poll_deadline', itemId: (p) => `${p.id}:deadline`, candidates: async (p) => told([p.authorId], 'reminder'), withActions: false }),
  async 'poll.closed'(tx, e, deps) {
    // A date poll's outcome is the event it became: its participants are invited to it.
    if (e.data.eventId) return null;
    return pollNotice(tx, e.data.pollId, deps, e.actorId, { key: 'notify.poll_closed', itemId: (p) => `${p.id}:closed`, candidates: (p) => everyone(tx, p.groupId, 'watcher'), withActions: false, outcome: true });
  },
  async 'event.created'(tx, e, deps) {
    const x = await eventAndOccurrence(tx, e.data.eventId, null, deps.clock.now());
    if (!x) return null;
    return eventNotice(tx, x.e, x.occ, deps, { key: 'notify.event_created', itemId: x.e.id, candidates: await everyone(tx, x.e.groupId, 'watcher'), actorId: e.actorId, method: 'REQUEST', rsvp: true });
  },
  async 'event.invited'(tx, e, deps) {
    const x = await eventAndOccurrence(tx, e.data.eventId, null, deps.clock.now());
    if (!x) return null;
    return eventNotice(tx, x.e, x.occ, deps, { key: 'notify.event_invited', itemId: `${x.e.id}:invited`, candidates: told(e.data.userIds, 'replied'), actorId: e.actorId, method: 'REQUEST', rsvp: true });
  },
  async 'event.updated'(tx, e, deps) {
    const x = await eventAndOccurrence(tx, e.data.eventId, e.data.occurrence, deps.clock.now());
    if (!x || x.e.status === 'cancelled') return null;
    const rows = await tx.selectFrom('eventRsvps').select('userId').distinct().where('eventId', '=', x.e.id).where('answer', 'in', ['yes', 'maybe']).$if(!!e.data.occurrence, (q) => q.where('occurrence', '=', e.data.occurrence!)).execute();
    return eventNotice(tx, x.e, x.occ, deps, { key: 'notify.event_updated', itemId: `${x.e.id}:${x.e.sequence}`, candidates: told(rows.map((r) => r.userId), 'watcher'), actorId: e.actorId, method: 'REQUEST', only: e.data.occurrence ?? undefined, rsvp: false });
  },
  async 'event.cancelled'(tx, e, deps) {
    const x = await eventAndOccurrence(tx, e.data.eventId, e.data.occurrence, deps.clock.now());
    if (!x) return null;
    return eventNotice(tx, x.e, x.occ, deps, { key: 'notify.event_cancelled', itemId: `${x.e.id}:cancelled:${e.data.occurrence ?? ''}`, candidates: told(e.data.userIds, 'watcher'), actorId: e.actorId, method: 'CANCEL', only: e.data.occurrence ?? undefined, rsvp: false });
  },
  async 'event.reminder_due'(tx, e, deps) {
    const x = await eventAndOccurrence(tx, e.data.eventId, e.data.occurrence || null, deps.clock.now());
    if (!x || x.occ.cancelled) return null;
    return eventNotice(tx, x.e, x.occ, deps, { key: e.data.when === 'day' ? 'notify.event_reminder_day' : 'notify.event_reminder_hour', itemId: `${x.e.id}:${e.data.occurrence}:${e.data.when}`, candidates: told(e.data.userIds, 'reminder'), actorId: null, rsvp: false });
  },
};

/** A poll's or an event's notifications show while it exists and the member may read its group. */
export const decideSubjects: SubjectVisibility = {
  poll: (actor, subjectId) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM polls sp JOIN groups sg ON sg.id = sp.group_id
      WHERE sp.id = ${subjectId} AND sp.deleted_at IS NULL AND ${groupReadBy(actor, null as never, 'sg.id', 'sg.visibility')})`,
  event: (actor, subjectId) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM calendar_events se JOIN groups sg ON sg.id = se.group_id
      WHERE se.id = ${subjectId} AND ${groupReadBy(actor, null as never, 'sg.id', 'sg.visibility')})`,
};
