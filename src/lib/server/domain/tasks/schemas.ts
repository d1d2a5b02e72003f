import { z } from 'zod';
import { fields, idempotencyKey, text, visibleText } from '../../kernel/validate';

/**
 * Input schemas of tasks, shared by form actions, the JSON API and the OpenAPI document.
 * Messages are i18n codes (`errors.<code>`). Forms send strings; the API may send numbers
 * and arrays: both are accepted.
 */
const id = fields.uuid;
const slug = text().trim().min(1, 'required').max(100, 'not_found');
/** A list of ids from checkboxes (one string or several) or JSON (an array). */
const ids = (max: number) =>
  z
    .union([z.array(text()), text()])
    .optional()
    .transform((v) => (v === undefined ? undefined : [...new Set((Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter((s) => s !== ''))]))
    .pipe(z.array(text().uuid('bad_value')).max(max, 'too_many').optional());
const fileIds = z
  .union([z.array(text()), text()])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''));

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const priorityRank = (p: Priority) => PRIORITIES.indexOf(p);
export const priorityName = (n: number): Priority => PRIORITIES[Math.min(3, Math.max(0, Number(n)))] ?? 'normal';

/** Label colours: a fixed palette, readable in light and dark mode. */
export const LABEL_COLORS = ['gray', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const;

/** At most this many lines in one checklist. */
export const CHECKLIST_MAX = 200;
/** At most this many assignees on one task. */
export const ASSIGNEES_MAX = 20;

const version = z.coerce.number('bad_value').int('bad_value').min(1, 'bad_value');
const dueDate = text().trim().max(20, 'bad_date').optional();
const dueTime = text().trim().max(10, 'bad_time').optional();
const description = text().max(50_000, 'too_long');
const priority = z.enum(PRIORITIES, 'bad_value');
/** '' (none), 'weekly', 'monthly', or an RRULE (RFC 5545), checked by the recurrence module. */
const recurrence = text().trim().max(500, 'bad_recurrence');

export const CreateTaskInput = z.object({
  groupSlug: slug,
  title: fields.title,
  description: description.default(''),
  priority: priority.default('normal'),
  assigneeIds: ids(ASSIGNEES_MAX),
  labelIds: ids(50),
  dueDate,
  dueTime,
  recurrence: recurrence.optional(),
  columnId: z.preprocess((v) => (v === '' ? undefined : v), id.optional()),
  /** Made from something: `discussion:<id>`, `comment:<id>` or `chat:<id>`. */
  from: z.preprocess((v) => (v === '' || v === null ? undefined : v), text().max(100, 'not_found').regex(/^(discussion|comment|chat):[0-9a-f-]{36}$/i, 'not_found').optional()),
  fileIds,
  key: idempotencyKey,
});

/** Any subset of a task's fields, with the version the change is based on. */
export const EditTaskInput = z.object({
  taskId: id,
  version,
  title: fields.title.optional(),
  description: description.optional(),
  priority: priority.optional(),
  assigneeIds: ids(ASSIGNEES_MAX),
  labelIds: ids(50),
  dueDate,
  dueTime,
  recurrence: recurrence.optional(),
});

export const TaskRef = z.object({ taskId: id });
/** A one-tap change of a task (done, "I'll take it"), with the client's idempotency key: a device outbox repeats it under the same key. */
export const TaskAction = TaskRef.extend({ key: idempotencyKey });

/** Where a card goes: a column, and a place in it (0 = first; 'first' / 'last' from forms). */
export const MoveInput = z.object({
  taskId: id,
  version,
  columnId: id,
  position: z.union([z.enum(['first', 'last']), z.coerce.number('bad_value').int('bad_value').min(0, 'bad_value').max(100_000, 'bad_value')]).default('last'),
  key: idempotencyKey,
});

const itemText = visibleText(1, 500);
/** New checklist lines: one `text` (each line becomes an item) or `items` (the API). */
export const ChecklistAddInput = z.object({
  taskId: id,
  text: text().max(200_000, 'too_long').optional(),
  items: z.array(text().max(500, 'too_long')).max(20_000, 'checklist_full').optional(),
  assigneeId: z.preprocess((v) => (v === '' ? undefined : v), id.optional()),
  dueDate,
  dueTime,
  key: idempotencyKey,
});
export const ChecklistEditInput = z.object({
  taskId: id,
  itemId: id,
  text: itemText.optional(),
  done: z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).optional().transform((v) => (v === undefined ? undefined : v === true || v === '1' || v === 'true')),
  /** '' removes the assignee. */
  assigneeId: z.union([z.literal(''), id]).optional(),
  dueDate,
  dueTime,
});
export const ChecklistItemRef = z.object({ taskId: id, itemId: id });

export const CommentInput = z.object({ taskId: id, body: fields.body, fileIds, key: idempotencyKey });
export const CommentRef = z.object({ commentId: id });

export const ColumnCreateInput = z.object({ groupSlug: slug, name: visibleText(1, 60) });
export const ColumnEditInput = z.object({
  groupSlug: slug,
  columnId: id,
  name: visibleText(1, 60).optional(),
  /** Move one step: left (earlier) or right (later). */
  direction: z.enum(['left', 'right'], 'bad_value').optional(),
  /** Make this the "done" column. */
  done: z.union([z.boolean(), z.enum(['1', 'true'])]).optional().transform((v) => (v === undefined ? undefined : v === true || v === '1' || v === 'true')),
});
export const ColumnRef = z.object({ groupSlug: slug, columnId: id });
export const BoardSettingsInput = z.object({ groupSlug: slug, timeZone: text().trim().max(64, 'bad_time_zone') });

export const LabelCreateInput = z.object({ groupSlug: slug, name: visibleText(1, 40), color: z.enum(LABEL_COLORS, 'bad_value').default('gray') });
export const LabelEditInput = z.object({ groupSlug: slug, labelId: id, name: visibleText(1, 40).optional(), color: z.enum(LABEL_COLORS, 'bad_value').optional() });
export const LabelRef = z.object({ groupSlug: slug, labelId: id });

export const SORTS = ['due', 'priority', 'updated', 'created', 'title'] as const;
const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
/** The list view's filters (each optional) and sort, as query parameters. */
export const ListInput = z.object({
  groupSlug: slug,
  assignee: z.preprocess(blank, z.union([z.enum(['me', 'nobody']), id]).optional()),
  priority: z.preprocess(blank, priority.optional()),
  label: z.preprocess(blank, id.optional()),
  due: z.preprocess(blank, z.enum(['overdue', 'week', 'none'], 'bad_value').optional()),
  /** 'open', 'done', or a column id. */
  status: z.preprocess(blank, z.union([z.enum(['open', 'done']), id]).optional()),
  sort: z.preprocess(blank, z.enum(SORTS, 'bad_value').default('due')),
  after: text().max(400).optional().nullable(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const MyTasksInput = z.object({
  done: z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).optional().transform((v) => v === true || v === '1' || v === 'true'),
  after: text().max(400).optional().nullable(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export const BoardInput = z.object({ groupSlug: slug });
export const ChipsInput = z.object({ originIds: z.array(text().max(64)).max(500) });
