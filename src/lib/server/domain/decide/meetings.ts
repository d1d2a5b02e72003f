import type { Tx } from '../../db/connect';
import { inTx } from '../../kernel/deps';
import { conflict, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { once } from '../../kernel/idempotency';
import { isUuid, newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, can, isUser, type Actor } from '../../policy';
import { dateOr, type Ctx } from './context';
import { dropDecision, recordDecision } from './decisions';
import { lockEvent } from './events';
import { eventsInRange, exceptionsOf, expand, occurrenceOf } from './occurrences';
import { isOccurrence } from './recurrence';
import { eventFacts, findEvent, groupBySlugOr404, groupFactsOf, markdown, usersById, type EventRow } from './repo';
import { ActionItemRef, AgendaFromInput, AgendaItemInput, AgendaItemRef, MinutesInput, MoveAgendaItemInput } from './schemas';

/** A meeting's agenda, minutes and action items for one occurrence, as its pages show them. */
export async function agendaOf(db: Tx, actor: Actor, e: EventRow, occurrence: string) {
  const items = await db.selectFrom('agendaItems').selectAll().where('eventId', '=', e.id).where('occurrence', '=', occurrence).orderBy('position').orderBy('createdAt').execute();
  const actions = await db.selectFrom('actionItems').selectAll().where('eventId', '=', e.id).where('occurrence', '=', occurrence).orderBy('createdAt').execute();
  const decisions = items.length ? await db.selectFrom('decisions').select(['sourceId', 'statement']).where('kind', '=', 'meeting').where('sourceId', 'in', items.map((i) => i.id)).execute() : [];
  const minutes = await db.selectFrom('meetingMinutes').select(['minutes', 'minutesHtml']).where('eventId', '=', e.id).where('occurrence', '=', occurrence).executeTakeFirst();
  const discussionIds = items.map((i) => i.discussionId).filter((x): x is string => !!x);
  const discussions = discussionIds.length ? await db.selectFrom('discussions').select(['id', 'title']).where('id', 'in', discussionIds).where('deletedAt', 'is', null).execute() : [];
  const users = await usersById(db, [...items.map((i) => i.ownerId), ...actions.map((a) => a.assigneeId)]);
  const person = (id: string | null) => (id && users.get(id) ? { id, name: users.get(id)!.name } : null);
  const decided = new Map(decisions.map((d) => [d.sourceId, d.statement]));
  // Who may own an item or take an action: the group's members (only for those who write the agenda).
  const writes = can(actor, 'meeting.minutes', eventFacts(e));
  const members = writes
    ? await db.selectFrom('memberships as m').innerJoin('users as u', 'u.id', 'm.userId').select(['u.id', 'u.name']).where('m.groupId', '=', e.groupId).where('u.disabledAt', 'is', null).orderBy('u.name').limit(500).execute()
    : [];
  return {
    items: items.map((i) => ({
      id: i.id,
      title: i.title,
      owner: person(i.ownerId),
      durationMin: i.durationMin,
      discussion: i.discussionId ? (discussions.find((d) => d.id === i.discussionId) ?? null) : null,
      taskId: i.taskId,
      notes: i.notes,
      notesHtml: i.notesHtml,
      decision: decided.get(i.id) ?? '',
    })),
    totalMinutes: items.reduce((n, i) => n + (i.durationMin ?? 0), 0),
    actions: actions.map((a) => ({ id: a.id, title: a.title, assignee: person(a.assigneeId), dueDate: a.dueDate, taskId: a.taskId, itemId: a.agendaItemId })),
    minutes: minutes?.minutes ?? '',
    minutesHtml: minutes?.minutesHtml ?? '',
    members,
    tasksConnected: false,
  };
}

/**
 * Meetings: an event with an agenda (items with an owner and a duration, added from the
 * event, from any discussion of the group or, once connected, a task: "add to the next
 * meeting's agenda"), and minutes written item by item during or after it. Decisions
 * recorded in the minutes go to the decision log; action items become tasks when tasks are
 * connected (the tasks port), and until then stay a list in the minutes with their assignee
 * and due date.
 */
export function createMeetings(ctx: Ctx) {
  const { deps, tasks } = ctx;
  const { db, clock } = deps;

  /** The meeting and the occurrence a write names, authorized for `ability`. */
  async function meeting(tx: Tx, actor: Actor, eventId: string, occurrence: string | undefined, ability: 'meeting.agenda' | 'meeting.minutes') {
    const e = await lockEvent(tx, ctx, eventId);
    authorize(actor, 'event.read', eventFacts(e));
    if (e.isMeeting !== 1) notFound();
    if (ability === 'meeting.agenda' && e.status === 'cancelled') conflict('event_cancelled');
    authorize(actor, ability, eventFacts(e));
    if (!isUser(actor)) return unauthenticated();
    const key = e.rrule ? (occurrence && isOccurrence(e, occurrence) ? occurrence : notFound()) : '';
    return { e, key, userId: actor.userId };
  }

  async function memberOr(tx: Tx, groupId: string, userId: string | undefined, path: string): Promise<string | null> {
    if (!userId) return null;
    const m = await tx.selectFrom('memberships').select('userId').where('groupId', '=', groupId).where('userId', '=', userId).executeTakeFirst();
    return m ? userId : invalidField(path, 'not_member');
  }

  const service = {
    /** Adds an item to a meeting's agenda (for one occurrence of a recurring meeting). */
    async addAgendaItem(actor: Actor, raw: unknown): Promise<{ id: string; eventId: string; occurrence: string }> {
      const input = parse(AgendaItemInput, raw);
      const userId = isUser(actor) ? actor.userId : null;
      // The task is read through the port before the transaction (the tasks feature uses its own connection).
      const task = input.taskId && tasks.taskForAgenda ? await tasks.taskForAgenda(actor, input.taskId) : null;
      return once(deps, { userId, key: input.key, scope: 'agenda.add' }, async (tx) => {
        const { e, key } = await meeting(tx, actor, input.eventId, input.occurrence, 'meeting.agenda');
        const ownerId = await memberOr(tx, e.groupId, input.ownerId, 'ownerId');
        if (input.discussionId) {
          const d = await tx.selectFrom('discussions').select(['id', 'groupId']).where('id', '=', input.discussionId).where('deletedAt', 'is', null).executeTakeFirst();
          if (!d || d.groupId !== e.groupId) invalidField('discussionId', 'not_found');
        }
        let taskId: string | null = null;
        if (input.taskId) {
          if (!task || task.groupId !== e.groupId) invalidField('taskId', 'not_found');
          taskId = task!.id;
        }
        const last = await tx.selectFrom('agendaItems').select((eb) => eb.fn.max<number>('position').as('p')).where('eventId', '=', e.id).where('occurrence', '=', key).executeTakeFirst();
        const id = newId();
        const at = clock.now().toISOString();
        await tx
          .insertInto('agendaItems')
          .values({ id, eventId: e.id, occurrence: key, position: Number(last?.p ?? -1) + 1, title: input.title, ownerId, durationMin: input.durationMin ?? null, discussionId: input.discussionId ?? null, taskId, notes: '', notesHtml: '', createdBy: userId!, createdAt: at, updatedAt: at })
          .execute();
        await recordEvent(tx, { type: 'agenda.changed', groupId: e.groupId, actorId: userId, data: { eventId: e.id, occurrence: key } }, clock.now());
        return { id, eventId: e.id, occurrence: key };
      });
    },

    /** Removes an agenda item (and the decision it carried). */
    async removeAgendaItem(actor: Actor, raw: unknown): Promise<{ eventId: string; occurrence: string }> {
      const { itemId } = parse(AgendaItemRef, raw);
      return inTx(deps, async (tx) => {
        const item = (await tx.selectFrom('agendaItems').selectAll().where('id', '=', itemId).executeTakeFirst()) ?? notFound();
        const { e } = await meeting(tx, actor, item.eventId, item.occurrence || undefined, 'meeting.agenda');
        await dropDecision(tx, 'meeting', item.id);
        await tx.deleteFrom('agendaItems').where('id', '=', item.id).execute();
        await recordEvent(tx, { type: 'agenda.changed', groupId: e.groupId, actorId: isUser(actor) ? actor.userId : null, data: { eventId: e.id, occurrence: item.occurrence } }, clock.now());
        return { eventId: e.id, occurrence: item.occurrence };
      });
    },

    /** Moves an agenda item one place up or down. */
    async moveAgendaItem(actor: Actor, raw: unknown): Promise<{ eventId: string; occurrence: string }> {
      const input = parse(MoveAgendaItemInput, raw);
      return inTx(deps, async (tx) => {
        const item = (await tx.selectFrom('agendaItems').selectAll().where('id', '=', input.itemId).executeTakeFirst()) ?? notFound();
        const { e } = await meeting(tx, actor, item.eventId, item.occurrence || undefined, 'meeting.agenda');
        const all = await tx.selectFrom('agendaItems').select(['id']).where('eventId', '=', e.id).where('occurrence', '=', item.occurrence).orderBy('position').orderBy('createdAt').execute();
        const i = all.findIndex((x) => x.id === item.id);
        const j = input.direction === 'up' ? i - 1 : i + 1;
        if (j >= 0 && j < all.length) [all[i], all[j]] = [all[j], all[i]];
        for (const [position, x] of all.entries()) await tx.updateTable('agendaItems').set({ position }).where('id', '=', x.id).execute();
        await recordEvent(tx, { type: 'agenda.changed', groupId: e.groupId, actorId: isUser(actor) ? actor.userId : null, data: { eventId: e.id, occurrence: item.occurrence } }, clock.now());
        return { eventId: e.id, occurrence: item.occurrence };
      });
    },

    /**
     * What "add to the next meeting's agenda" needs: the group's next meetings (the first is
     * proposed) and what is added (a discussion of the group, or a task through the port).
     */
    async agendaFrom(actor: Actor, raw: unknown) {
      const input = parse(AgendaFromInput, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      if (!isUser(actor)) return unauthenticated();
      let source: { kind: 'discussion' | 'task'; id: string; title: string } | null = null;
      if (input.discussionId) {
        const d = await db.selectFrom('discussions').select(['id', 'title', 'groupId']).where('id', '=', input.discussionId).where('deletedAt', 'is', null).executeTakeFirst();
        if (!d || d.groupId !== g.id) notFound();
        source = { kind: 'discussion', id: d!.id, title: d!.title };
      } else if (input.taskId) {
        const t = tasks.taskForAgenda ? await tasks.taskForAgenda(actor, input.taskId) : null;
        if (!t || t.groupId !== g.id) notFound();
        source = { kind: 'task', id: t!.id, title: t!.title };
      }
      const now = clock.now();
      const events = (await eventsInRange(db, [g.id], now, new Date(now.getTime() + 366 * 86_400_000))).filter((e) => e.isMeeting === 1 && e.status !== 'cancelled');
      const meetings = expand(events, await exceptionsOf(db, events.map((e) => e.id)), now, new Date(now.getTime() + 366 * 86_400_000)).slice(0, 10);
      const facts = groupFactsOf(g);
      return { group: { id: g.id, slug: g.slug, name: g.name }, source, meetings, canAdd: meetings.length > 0 && can(actor, 'event.create', facts) };
    },

    /**
     * Saves a meeting's minutes: the general notes, each item's notes and decision (a
     * decision goes to the decision log; an emptied one leaves it), and new action items
     * (a task each when tasks are connected).
     */
    async saveMinutes(actor: Actor, raw: unknown): Promise<{ eventId: string; occurrence: string; tasks: number }> {
      const input = parse(MinutesInput, raw);
      let made = 0;
      const fresh: { id: string; groupId: string; title: string; assigneeId: string | null; dueDate: string | null; eventId: string; url: string }[] = [];
      const out = await inTx(deps, async (tx) => {
        const { e, key, userId } = await meeting(tx, actor, input.eventId, input.occurrence, 'meeting.minutes');
        const now = clock.now();
        const at = now.toISOString();
        const occ = occurrenceOf(e, key, ((await exceptionsOf(tx, [e.id])).get(e.id) ?? []).find((x) => x.occurrence === key));
        const minutesUrl = `/events/${e.id}/minutes${key ? `?occurrence=${encodeURIComponent(key)}` : ''}`;
        const row = { minutes: input.minutes, minutesHtml: markdown(input.minutes), updatedBy: userId, updatedAt: at };
        await tx.insertInto('meetingMinutes').values({ eventId: e.id, occurrence: key, ...row }).onConflict((oc) => oc.columns(['eventId', 'occurrence']).doUpdateSet(row)).execute();
        const items = new Map((await tx.selectFrom('agendaItems').select(['id', 'title']).where('eventId', '=', e.id).where('occurrence', '=', key).execute()).map((i) => [i.id, i]));
        for (const it of input.items) {
          const item = items.get(it.id) ?? invalidField('items', 'not_found');
          await tx.updateTable('agendaItems').set({ notes: it.notes, notesHtml: markdown(it.notes), updatedAt: at }).where('id', '=', item.id).execute();
          if (it.decision) await recordDecision(tx, { groupId: e.groupId, kind: 'meeting', sourceId: item.id, title: `${e.title} — ${item.title}`, statement: it.decision, url: `${minutesUrl}#item-${item.id}`, decidedAt: occ.startsAt, recordedBy: userId, at: now });
          else await dropDecision(tx, 'meeting', item.id);
        }
        for (const [i, a] of input.actions.entries()) {
          if (!a.title) {
            if (a.assigneeId || a.dueDate) invalidField(`actions.${i}.title`, 'required');
            continue;
          }
          const assigneeId = await memberOr(tx, e.groupId, a.assigneeId, `actions.${i}.assigneeId`);
          const dueDate = a.dueDate ? dateOr(a.dueDate, `actions.${i}.dueDate`) : null;
          if (a.itemId && !items.has(a.itemId)) invalidField(`actions.${i}.itemId`, 'not_found');
          const id = newId();
          await tx.insertInto('actionItems').values({ id, eventId: e.id, occurrence: key, agendaItemId: a.itemId ?? null, title: a.title, assigneeId, dueDate, taskId: null, createdBy: userId, createdAt: at }).execute();
          fresh.push({ id, groupId: e.groupId, title: a.title, assigneeId, dueDate, eventId: e.id, url: minutesUrl });
        }
        await recordEvent(tx, { type: 'minutes.saved', groupId: e.groupId, actorId: userId, data: { eventId: e.id, occurrence: key } }, now);
        return { eventId: e.id, occurrence: key };
      });
      // Once the minutes are saved, each new action item becomes a task (when tasks are connected), in the tasks' own transactions.
      if (tasks.createFromActionItem)
        for (const a of fresh) {
          const t = await tasks.createFromActionItem(actor, { groupId: a.groupId, title: a.title, assigneeId: a.assigneeId, dueDate: a.dueDate, origin: { eventId: a.eventId, actionItemId: a.id, url: a.url } });
          if (!t) continue;
          await db.updateTable('actionItems').set({ taskId: t.id }).where('id', '=', a.id).execute();
          made++;
        }
      return { ...out, tasks: made };
    },

    /** Removes an action item from the minutes (the task it became, if any, stays). */
    async removeActionItem(actor: Actor, raw: unknown): Promise<{ eventId: string; occurrence: string }> {
      const { actionId } = parse(ActionItemRef, raw);
      return inTx(deps, async (tx) => {
        const a = (await tx.selectFrom('actionItems').selectAll().where('id', '=', actionId).executeTakeFirst()) ?? notFound();
        const { e } = await meeting(tx, actor, a.eventId, a.occurrence || undefined, 'meeting.minutes');
        await tx.deleteFrom('actionItems').where('id', '=', a.id).execute();
        await recordEvent(tx, { type: 'minutes.saved', groupId: e.groupId, actorId: isUser(actor) ? actor.userId : null, data: { eventId: e.id, occurrence: a.occurrence } }, clock.now());
        return { eventId: e.id, occurrence: a.occurrence };
      });
    },

    /** The minutes page: the meeting's occurrence with its agenda, notes and action items. */
    async minutes(actor: Actor, raw: { eventId: string; occurrence?: string }) {
      if (!isUuid(raw.eventId)) notFound();
      const e = (await findEvent(db, raw.eventId)) ?? notFound();
      authorize(actor, 'event.read', eventFacts(e));
      if (e.isMeeting !== 1) notFound();
      const key = e.rrule ? (raw.occurrence && isOccurrence(e, raw.occurrence) ? raw.occurrence : notFound()) : '';
      const occ = occurrenceOf(e, key, ((await exceptionsOf(db, [e.id])).get(e.id) ?? []).find((x) => x.occurrence === key));
      return {
        event: { id: e.id, title: e.title, group: { id: e.group.id, slug: e.group.slug, name: e.group.name } },
        occurrence: occ,
        meeting: { ...(await agendaOf(db, actor, e, key)), tasksConnected: !!tasks.createFromActionItem },
        can: { write: can(actor, 'meeting.minutes', eventFacts(e)) },
      };
    },
  };
  return service;
}

