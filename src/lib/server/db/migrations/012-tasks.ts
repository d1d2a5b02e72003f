import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect';
import { newId } from '../../kernel/ids';

/**
 * Tasks: who does what, by when. A board per group (`task_boards`, created with the group's
 * first board visit, or here for the groups that already exist) with ordered columns (one of
 * them the "done" column), tasks in order within their column (`position`, dense from 0 per
 * column), assignees, labels per group, a checklist, comments, an activity history, the
 * reminders already sent (each at most once per member, kind and due date) and the one-click
 * mail actions already used. A task carries a `version`: an edit or a move based on an older
 * one is refused, so the last writer never silently erases the first.
 *
 * Also: a group may have its own time zone (due dates without a time are days there; null
 * means Europe/Brussels), members choose the hour of their reminders, files may belong to a
 * task or a task's comment, search documents may be tasks, and a held mail may be a reply to
 * a task.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema.alterTable('groups').addColumn('time_zone', text).execute();
  await db.schema.alterTable('notification_settings').addColumn('reminder_hour', int, (c) => c.notNull().defaultTo(8)).execute();
  await db.schema.alterTable('files').addColumn('task_id', text).execute();
  await db.schema.alterTable('files').addColumn('task_comment_id', text).execute();
  await db.schema.createIndex('files_task').on('files').column('task_id').execute();
  // A task's search documents name it here (their discussion_id is '').
  await db.schema.alterTable('search_docs').addColumn('task_id', text).execute();
  await db.schema.alterTable('email_pending').addColumn('task_id', text).execute();

  await db.schema
    .createTable('task_boards')
    .addColumn('group_id', text, (c) => c.primaryKey().references('groups.id').onDelete('cascade'))
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('task_columns')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    // null: a default column, named in each reader's language after its preset.
    .addColumn('name', text)
    .addColumn('preset', text)
    .addColumn('position', int, (c) => c.notNull())
    .addColumn('is_done', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_columns_group').on('task_columns').columns(['group_id', 'position']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('column_id', text, (c) => c.notNull())
    .addColumn('position', int, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull().defaultTo(''))
    .addColumn('description_html', text, (c) => c.notNull().defaultTo(''))
    // 0 urgent, 1 high, 2 normal, 3 low: sorts as it reads.
    .addColumn('priority', int, (c) => c.notNull().defaultTo(2))
    .addColumn('due_at', text)
    .addColumn('due_has_time', int, (c) => c.notNull().defaultTo(0))
    // When it becomes overdue: the due time, or the end of the due day in the group's time zone.
    .addColumn('overdue_at', text)
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('version', int, (c) => c.notNull().defaultTo(1))
    .addColumn('completed_at', text)
    .addColumn('completed_by', text)
    .addColumn('deleted_at', text)
    .addColumn('deleted_by', text)
    .addColumn('origin_kind', text)
    .addColumn('origin_id', text)
    .addColumn('origin_discussion_id', text)
    .addColumn('recurrence', text)
    .addColumn('series_id', text)
    .addColumn('next_task_id', text)
    .addColumn('comment_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('checklist_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('checklist_done', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_board').on('tasks').columns(['group_id', 'column_id', 'position']).execute();
  await db.schema.createIndex('tasks_overdue').on('tasks').columns(['overdue_at']).execute();
  await db.schema.createIndex('tasks_origin').on('tasks').column('origin_id').execute();
  // One occurrence of a recurring task per date: a scheduler and a completion never both make it.
  await db.schema.createIndex('tasks_series_due').on('tasks').columns(['series_id', 'due_at']).unique().execute();

  await db.schema
    .createTable('task_assignees')
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('task_assignees_pk', ['task_id', 'user_id'])
    .execute();
  await db.schema.createIndex('task_assignees_user').on('task_assignees').columns(['user_id', 'task_id']).execute();

  await db.schema
    .createTable('task_labels')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('color', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_labels_name').on('task_labels').columns(['group_id', 'name']).unique().execute();

  await db.schema
    .createTable('task_label_links')
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('label_id', text, (c) => c.notNull().references('task_labels.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('task_label_links_pk', ['task_id', 'label_id'])
    .execute();
  await db.schema.createIndex('task_label_links_label').on('task_label_links').column('label_id').execute();

  await db.schema
    .createTable('task_checklist_items')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('position', int, (c) => c.notNull())
    .addColumn('text', text, (c) => c.notNull())
    .addColumn('done', int, (c) => c.notNull().defaultTo(0))
    .addColumn('assignee_id', text, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('due_at', text)
    .addColumn('due_has_time', int, (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', text)
    .addColumn('done_by', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_checklist_task').on('task_checklist_items').columns(['task_id', 'position']).execute();
  await db.schema.createIndex('task_checklist_assignee').on('task_checklist_items').column('assignee_id').execute();

  await db.schema
    .createTable('task_comments')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('group_id', text, (c) => c.notNull())
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('body_html', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('edited_at', text)
    .addColumn('deleted_at', text)
    .addColumn('deleted_by', text)
    .execute();
  await db.schema.createIndex('task_comments_task').on('task_comments').columns(['task_id', 'created_at']).execute();

  await db.schema
    .createTable('task_activity')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('actor_id', text)
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('data', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_activity_task').on('task_activity').columns(['task_id', 'created_at']).execute();

  await db.schema
    .createTable('task_reminders')
    .addColumn('task_id', text, (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('due_at', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('task_reminders_pk', ['task_id', 'user_id', 'kind', 'due_at'])
    .execute();

  // One-click links in mail (mark done, take it): each works once.
  await db.schema
    .createTable('mail_action_uses')
    .addColumn('nonce', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull())
    .addColumn('path', text, (c) => c.notNull())
    .addColumn('used_at', text, (c) => c.notNull())
    .execute();

  // Every group that exists gets its board and the three default columns.
  const now = new Date().toISOString();
  const groups = (await sql<{ id: string }>`SELECT id FROM groups`.execute(db)).rows;
  for (const g of groups) {
    await db.insertInto('task_boards').values({ group_id: g.id, created_at: now }).execute();
    await db
      .insertInto('task_columns')
      .values(DEFAULT_COLUMNS.map((preset, position) => ({ id: newId(), group_id: g.id, name: null, preset, position, is_done: preset === 'done' ? 1 : 0, created_at: now })))
      .execute();
  }
}

/** The columns of a new board, named in each reader's language until renamed. */
const DEFAULT_COLUMNS = ['todo', 'doing', 'done'] as const;
