import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../db/connect';
import { can, groupReadBy, type Actor } from '../../policy';
import { excerptOf, type Announcement, type Candidate, type NoticeData, type Notifiers, type SubjectVisibility } from '../notifications';
import { showDue, zoneOf } from './dates';
import { findTask, taskFacts, type TaskRow } from './tasks.repo';

/**
 * Who hears of what happens to tasks, and why:
 *
 * - assigned: the new assignees ('assigned'); the mail offers "Mark as done".
 * - mentioned in a task's description or a comment: 'mentioned' (an unassigned task's mail
 *   offers "I'll take it").
 * - a comment: the task's author and assignees ('replied': it is their task), everyone else
 *   who commented ('participant'), and whoever it mentions.
 * - a new due date and completion: the assignees and the author as 'watcher' (they answer
 *   for the task or asked for it: it shows in their notifications and mail follows their
 *   group's mail level), the other commenters as 'participant' (like a discussion they took
 *   part in: mail at their group's level, not in the notifications by default).
 * - reminders: the assignees ('reminder'), the day before the due date at their hour and once
 *   overdue, from the scheduler (reminders.ts); their mail offers "Mark as done".
 *
 * The pipeline then drops the author of the change, asks the policy as each recipient and
 * applies their choices. Every notice's mail can be answered: the answer becomes a comment.
 */
async function actorName(tx: Tx, id: string | null) {
  return id ? ((await tx.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null) : null;
}
const assigneesOf = async (tx: Tx, taskId: string) => (await tx.selectFrom('taskAssignees').select('userId').where('taskId', '=', taskId).execute()).map((r) => r.userId);
const commentersOf = async (tx: Tx, taskId: string) => (await tx.selectFrom('taskComments').select('authorId').distinct().where('taskId', '=', taskId).where('deletedAt', 'is', null).execute()).map((r) => r.authorId);
const live = async (tx: Tx, id: string) => {
  const t = await findTask(tx, id);
  return t && !t.deletedAt ? t : null;
};
const as = (reason: Candidate['reason']) => (ids: string[]): Candidate[] => ids.map((userId) => ({ userId, reason }));

/** "12 March" style text of a due date, in the group's time zone (one notice serves everyone). */
const dueText = (t: TaskRow) => {
  if (!t.dueAt) return '—';
  const d = showDue(t.dueAt, Number(t.dueHasTime) === 1, zoneOf(t.group));
  return d.time ? `${d.date} ${d.time}` : d.date;
};

type Extra = Partial<NoticeData> & { summary: NoticeData['summary'] };

/** What every task notice shares: subject, policy, link, thread, reply address. */
function announce(t: TaskRow, actor: { id: string; name: string } | null, itemId: string, candidates: Candidate[], extra: Extra, reply = false): Announcement {
  const group = { slug: t.group.slug, name: t.group.name };
  return {
    subject: { kind: 'task', id: t.id },
    itemId,
    groupId: t.groupId,
    candidates,
    mayRead: (a: Actor) => can(a, 'task.read', taskFacts(t)),
    data: {
      title: t.title,
      url: `/tasks/${t.id}`,
      excerpt: t.description ? excerptOf(t.description) : undefined,
      group,
      actor,
      thread: { root: `t-${t.id}`, item: `t-${itemId}`, reply, subject: `[${t.group.name}] ${t.title}` },
      replyTo: { kind: 'task', id: t.id },
      ...extra,
    },
  };
}

/** One-click actions a task mail offers (signed for each recipient by the mail channel). */
const done = (t: TaskRow) => ({ label: 'tasks.mail.action_done', url: `/tasks/${t.id}/mail/done`, once: true });
const take = (t: TaskRow) => ({ label: 'tasks.mail.action_take', url: `/tasks/${t.id}/mail/take`, once: true });

export const taskNotifiers: Notifiers = {
  async 'task.created'(tx, e) {
    if (!e.data.mentioned.length) return null;
    const t = await live(tx, e.data.taskId);
    if (!t) return null;
    const who = await actorName(tx, e.actorId);
    const unassigned = (await assigneesOf(tx, t.id)).length === 0;
    return announce(t, who, t.id, as('mentioned')(e.data.mentioned), {
      summary: { key: 'notify.task_mentioned', params: { name: who?.name ?? '', title: t.title, group: t.group.name } },
      body: { text: t.description, html: t.descriptionHtml },
      actions: unassigned ? [take(t)] : undefined,
    });
  },

  async 'task.edited'(tx, e) {
    if (!e.data.mentioned.length) return null;
    const t = await live(tx, e.data.taskId);
    if (!t) return null;
    const who = await actorName(tx, e.actorId);
    return announce(t, who, t.id, as('mentioned')(e.data.mentioned), {
      summary: { key: 'notify.task_mentioned', params: { name: who?.name ?? '', title: t.title, group: t.group.name } },
      body: { text: t.description, html: t.descriptionHtml },
    });
  },

  async 'task.assigned'(tx, e) {
    const t = await live(tx, e.data.taskId);
    if (!t || t.completedAt) return null;
    const who = await actorName(tx, e.actorId);
    return announce(t, who, e.data.activityId, as('assigned')(e.data.userIds), {
      summary: { key: 'notify.task_assigned', params: { name: who?.name ?? '', title: t.title, group: t.group.name, due: dueText(t) } },
      body: t.description ? { text: t.description, html: t.descriptionHtml } : undefined,
      actions: [done(t)],
    });
  },

  async 'task.due_changed'(tx, e) {
    const t = await live(tx, e.data.taskId);
    if (!t || t.completedAt) return null;
    const who = await actorName(tx, e.actorId);
    return announce(t, who, e.data.activityId, [...as('watcher')([...(await assigneesOf(tx, t.id)), t.authorId]), ...as('participant')(await commentersOf(tx, t.id))], {
      summary: { key: 'notify.task_due_changed', params: { name: who?.name ?? '', title: t.title, due: dueText(t) } },
    });
  },

  async 'task.completed'(tx, e) {
    const t = await live(tx, e.data.taskId);
    if (!t) return null;
    const who = await actorName(tx, e.actorId);
    return announce(t, who, e.data.activityId, [...as('watcher')([...(await assigneesOf(tx, t.id)), t.authorId]), ...as('participant')(await commentersOf(tx, t.id))], {
      summary: { key: 'notify.task_completed', params: { name: who?.name ?? '', title: t.title } },
    });
  },

  async 'task.commented'(tx, e) {
    const t = await live(tx, e.data.taskId);
    if (!t) return null;
    const c = await tx.selectFrom('taskComments').select(['id', 'body', 'bodyHtml', 'deletedAt']).where('id', '=', e.data.commentId).executeTakeFirst();
    if (!c || c.deletedAt) return null;
    const who = await actorName(tx, e.actorId);
    return announce(
      t,
      who,
      c.id,
      [...as('mentioned')(e.data.mentioned), ...as('replied')([t.authorId, ...(await assigneesOf(tx, t.id))]), ...as('participant')(await commentersOf(tx, t.id))],
      {
        url: `/tasks/${t.id}#tc-${c.id}`,
        summary: { key: 'notify.task_commented', params: { name: who?.name ?? '', title: t.title, group: t.group.name } },
        excerpt: excerptOf(c.body),
        body: { text: c.body, html: c.bodyHtml },
      },
      true,
    );
  },

  async 'task.reminder'(tx, e) {
    const t = await live(tx, e.data.taskId);
    if (!t || t.completedAt || t.dueAt !== e.data.dueAt) return null;
    const unassigned = (await assigneesOf(tx, t.id)).length === 0;
    return announce(t, null, `${t.id}:${e.data.kind}:${e.data.dueAt}`, [{ userId: e.data.userId, reason: 'reminder' }], {
      summary: { key: e.data.kind === 'soon' ? 'notify.task_reminder_soon' : 'notify.task_reminder_overdue', params: { title: t.title, due: dueText(t), group: t.group.name } },
      actions: unassigned ? [take(t), done(t)] : [done(t)],
    });
  },
};

/** A task's notifications show while the task exists, the member may read its group, and the comment (if any) stands. */
export const taskSubjects: SubjectVisibility = {
  task: (actor, subjectId, itemId) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM tasks st JOIN groups sg ON sg.id = st.group_id
      WHERE st.id = ${subjectId} AND st.deleted_at IS NULL AND ${groupReadBy(actor, null as never, 'sg.id', 'sg.visibility')})
      AND NOT EXISTS (SELECT 1 FROM task_comments sc WHERE sc.id = ${itemId} AND sc.deleted_at IS NOT NULL)`,
};
