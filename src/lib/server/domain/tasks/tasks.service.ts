import type { Deps } from '../../kernel/deps';
import { parse } from '../../kernel/validate';
import { can, type Actor } from '../../policy';
import { createSessions } from '../accounts/sessions';
import { createFilesService } from '../files/files.service';
import { createBoard } from './board';
import { createChecklist } from './checklist';
import { createComments } from './comments';
import { createCreate } from './create';
import { createEdit } from './edit';
import { createForMeetings } from './for-meetings';
import { createLabels } from './labels';
import { createLists } from './lists';
import { createMailActions } from './mail-actions';
import { createMove } from './move';
import { taskChips } from './origins';
import { createTaskPage } from './page';
import { createTaskScheduler } from './reminders';
import { ChipsInput } from './schemas';
import './tasks.events';

export type { BoardView, BoardColumn } from './board';
export type { CardView, ColumnView, LabelView, DueView, Person } from './views';
export type { TaskView, ChecklistItemView, ActivityView } from './page';
export type { TaskCommentView } from './comments';
export type { ListItem } from './lists';
export type { TaskChip } from './origins';
export type { MailActionView } from './mail-actions';
export { PRIORITIES, LABEL_COLORS, CHECKLIST_MAX } from './schemas';

/**
 * Tasks: who does what, by when. A board per group with ordered columns, cards in order, a
 * list view with filters, the task page (checklist, comments, reactions, attachments,
 * history), "I'll take it", tasks made from discussions, comments and chat messages, my
 * tasks across groups, recurring tasks, reminders and one-click mail actions. Every
 * function takes the acting member first and unvalidated input second; pages, the JSON API
 * and inbound mail call the same ones; every write is one transaction with its events.
 */
export function createTasksService(deps: Deps) {
  const files = createFilesService(deps);
  const move = createMove(deps);
  const edit = createEdit(deps);
  const board = createBoard(deps);
  const checklist = createChecklist(deps);
  const comments = createComments(deps, files);
  const create = createCreate(deps, files);
  const page = createTaskPage(deps, files);
  return {
    ...board,
    ...create,
    ...edit,
    ...move,
    ...createLabels(deps),
    ...createLists(deps),
    ...page,
    meetings: createForMeetings(deps, { create: create.create, get: page.get }),
    addChecklist: checklist.add,
    editChecklist: checklist.edit,
    removeChecklist: checklist.remove,
    ...comments,
    mailActions: createMailActions(deps, { sessions: createSessions(deps), complete: move.complete, take: edit.take }),
    scheduler: createTaskScheduler(deps),

    /** The tasks made from discussions, comments or chat messages, for the chips those pages show. */
    async chips(actor: Actor, raw: unknown) {
      const { originIds } = parse(ChipsInput, raw);
      return taskChips(deps.db, actor, originIds);
    },

    /**
     * For a discussion or chat page of a group: the chips of the tasks made from its items,
     * and whether the actor may make one ("Make a task from this").
     */
    async fromItems(actor: Actor, raw: { groupId: string; originIds: string[] }) {
      const { originIds } = parse(ChipsInput, { originIds: raw.originIds });
      const g = await deps.db.selectFrom('groups').select(['id', 'visibility', 'parentId']).where('id', '=', raw.groupId).executeTakeFirst();
      return { chips: await taskChips(deps.db, actor, originIds), canCreate: !!g && can(actor, 'task.create', g) };
    },
  };
}
export type TasksService = ReturnType<typeof createTasksService>;
