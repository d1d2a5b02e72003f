import type { Actor } from '../../policy';

/**
 * Tasks, seen from deciding and meeting. Deciding never imports the tasks feature: the
 * composition root (app.ts) hands in these functions (tasks/for-meetings.ts). Without them
 * deciding still works: action items stay a list in the minutes (assignee and due date), an
 * agenda item is added from a discussion only, and feeds carry events only.
 */
export type TasksPort = {
  /**
   * Makes a task of a meeting's action item, in the meeting's group, assigned and due as
   * the minutes say. Returns the task's id and page, or null when it could not be made.
   */
  createFromActionItem?(actor: Actor, input: { groupId: string; title: string; assigneeId: string | null; dueDate: string | null; origin: { eventId: string; actionItemId: string; url: string } }): Promise<{ id: string; url: string } | null>;
  /** A task as the actor may see it (title, group, page), to put it on a meeting's agenda; null when hidden or missing. */
  taskForAgenda?(actor: Actor, taskId: string): Promise<{ id: string; title: string; groupId: string; url: string } | null>;
  /** Due dates of the open tasks assigned to a member between two instants, for their private calendar feed (a day without a time: `dueAt` is that local date, YYYY-MM-DD). */
  dueDatesFor?(userId: string, from: Date, to: Date): Promise<{ id: string; title: string; dueAt: string; allDay: boolean; url: string; timeZone: string }[]>;
};

/** The port without tasks: nothing. */
export const noTasks: TasksPort = {};
