/**
 * Events of tasks. Every one names its task (`taskId`) and is recorded with the task's group,
 * so open boards hear of it after the commit (all but reminders are live). `mentioned` lists
 * the members named with @handle in the new text; `activityId` names the history line the
 * change wrote (each change notifies once).
 */
declare module '../../kernel/events' {
  interface EventPayloads {
    'task.created': { taskId: string; columnId: string; mentioned: string[] };
    'task.edited': { taskId: string; fields: string[]; mentioned: string[] };
    'task.assigned': { taskId: string; userIds: string[]; activityId: string };
    'task.unassigned': { taskId: string; userIds: string[] };
    'task.due_changed': { taskId: string; activityId: string; dueAt: string | null };
    'task.moved': { taskId: string; columnId: string; fromColumnId: string; position: number; version: number };
    'task.completed': { taskId: string; activityId: string };
    'task.reopened': { taskId: string };
    'task.deleted': { taskId: string };
    'task.checklist_changed': { taskId: string; itemId: string };
    'task.commented': { taskId: string; commentId: string; mentioned: string[] };
    'task.comment_deleted': { taskId: string; commentId: string };
    'task.reacted': { taskId: string; targetId: string; emoji: string };
    /** A reminder for one member: the day before the due date, or once overdue. */
    'task.reminder': { taskId: string; userId: string; kind: 'soon' | 'overdue'; dueAt: string };
    /** The board's columns or labels changed (added, renamed, moved, removed). */
    'task.board_changed': { columnId?: string; labelId?: string };
  }
}
export {};

/** Events after which a group's boards, lists and task pages look different. */
export const TASK_LIVE_EVENT_TYPES = [
  'task.created',
  'task.edited',
  'task.assigned',
  'task.unassigned',
  'task.due_changed',
  'task.moved',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'task.checklist_changed',
  'task.commented',
  'task.comment_deleted',
  'task.reacted',
  'task.board_changed',
];
