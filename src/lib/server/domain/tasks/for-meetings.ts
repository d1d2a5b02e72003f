import type { Deps } from '../../kernel/deps';
import { DomainError } from '../../kernel/errors';
import { localParts } from '../../kernel/zoned-time';
import type { Actor } from '../../policy';
import { zoneOf } from './dates';

type Create = (actor: Actor, raw: unknown) => Promise<{ id: string; groupSlug: string }>;
type Get = (actor: Actor, raw: unknown) => Promise<{ id: string; title: string; group: { id: string } }>;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Tasks as meetings and calendars use them (the composition root hands these to deciding):
 * a meeting's action item becomes a task, a task goes on a meeting's agenda, a member's
 * open tasks appear in their private calendar feed on their due dates.
 */
export function createForMeetings(deps: Deps, tasks: { create: Create; get: Get }) {
  const { db } = deps;
  return {
    /**
     * Makes a task of an action item of a meeting's minutes, in the meeting's group, assigned
     * and due as the minutes say, its description linking back to the minutes. Made once per
     * action item (the item's id is the request's key). Null when the member may not make it.
     */
    async fromActionItem(actor: Actor, input: { groupId: string; title: string; assigneeId: string | null; dueDate: string | null; origin: { actionItemId: string; url: string } }): Promise<{ id: string; url: string } | null> {
      const g = await db.selectFrom('groups').select('slug').where('id', '=', input.groupId).executeTakeFirst();
      if (!g) return null;
      try {
        const t = await tasks.create(actor, {
          groupSlug: g.slug,
          title: input.title,
          description: `[↩](${input.origin.url})`,
          assigneeIds: input.assigneeId ? [input.assigneeId] : [],
          dueDate: input.dueDate ?? undefined,
          key: `ai-${input.origin.actionItemId}`,
        });
        return { id: t.id, url: `/tasks/${t.id}` };
      } catch (e) {
        if (e instanceof DomainError) return null;
        throw e;
      }
    },

    /** A task as the actor may see it, to put on a meeting's agenda; null when hidden or missing. */
    async taskForAgenda(actor: Actor, taskId: string): Promise<{ id: string; title: string; groupId: string; url: string } | null> {
      try {
        const t = await tasks.get(actor, { taskId });
        return { id: t.id, title: t.title, groupId: t.group.id, url: `/tasks/${t.id}` };
      } catch (e) {
        if (e instanceof DomainError) return null;
        throw e;
      }
    },

    /**
     * The open tasks assigned to a member, in groups they belong to, due between two instants:
     * for their private calendar feed. A due day without a time is that day in the group's zone.
     */
    async dueDatesFor(userId: string, from: Date, to: Date): Promise<{ id: string; title: string; dueAt: string; allDay: boolean; url: string; timeZone: string }[]> {
      const rows = await db
        .selectFrom('tasks')
        .innerJoin('taskAssignees', 'taskAssignees.taskId', 'tasks.id')
        .innerJoin('memberships', (j) => j.onRef('memberships.groupId', '=', 'tasks.groupId').on('memberships.userId', '=', userId))
        .innerJoin('groups', 'groups.id', 'tasks.groupId')
        .select(['tasks.id', 'tasks.title', 'tasks.dueAt', 'tasks.dueHasTime', 'groups.timeZone'])
        .where('taskAssignees.userId', '=', userId)
        .where('tasks.deletedAt', 'is', null)
        .where('tasks.completedAt', 'is', null)
        .where('tasks.dueAt', '>=', from.toISOString())
        .where('tasks.dueAt', '<', to.toISOString())
        .orderBy('tasks.dueAt')
        .limit(1000)
        .execute();
      return rows.map((r) => {
        const zone = zoneOf(r);
        const allDay = !r.dueHasTime;
        const local = localParts(new Date(r.dueAt!), zone);
        return { id: r.id, title: r.title, dueAt: allDay ? `${local.y}-${pad(local.m)}-${pad(local.d)}` : r.dueAt!, allDay, url: `/tasks/${r.id}`, timeZone: zone };
      });
    },
  };
}
