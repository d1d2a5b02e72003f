import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import { DomainError, invalidField, notFound } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { abilities, authorize, isUser, type Actor } from '../../policy';
import { isTimeZone, parseDay, showDue, storeDue, zoneOf } from './dates';
import { BoardInput, BoardSettingsInput, ColumnCreateInput, ColumnEditInput, ColumnRef } from './schemas';
import { groupFactsOf, groupOr404, type TaskGroup } from './tasks.repo';
import { columnView, presentCards, type CardView, type ColumnView, type LabelView } from './views';

/** The columns of a new board, named in each reader's language until renamed. */
export const DEFAULT_COLUMNS = ['todo', 'doing', 'done'] as const;
/**
 * A column shows at most this many cards (its first ones); "N more" links to the list view,
 * which pages through them all. A board stays light enough for a cheap phone.
 */
export const COLUMN_CARDS = 100;
/** The done column keeps growing: its latest cards only. */
export const DONE_CARDS = 30;
/** At most this many columns on a board. */
export const COLUMNS_MAX = 12;

/**
 * Creates the group's board with its default columns, once: the first visit of the board
 * (or the first task) makes it, and two first visits at once make one (the board row's
 * primary key decides).
 */
export async function ensureBoard(tx: Tx, groupId: string, now: string): Promise<void> {
  const made = await tx.insertInto('taskBoards').values({ groupId, createdAt: now }).onConflict((oc) => oc.column('groupId').doNothing()).returning('groupId').executeTakeFirst();
  if (!made) return;
  await tx
    .insertInto('taskColumns')
    .values(DEFAULT_COLUMNS.map((preset, position) => ({ id: newId(), groupId, name: null, preset, position, isDone: preset === 'done' ? 1 : 0, createdAt: now })))
    .execute();
}

/** A group's columns in order. */
export async function columnsOf(db: Tx, groupId: string): Promise<ColumnView[]> {
  const rows = await db.selectFrom('taskColumns').select(['id', 'name', 'preset', 'position', 'isDone']).where('groupId', '=', groupId).orderBy('position').orderBy('id').execute();
  return rows.map(columnView);
}

/** The group's labels, by name. */
export async function labelsOf(db: Tx, groupId: string): Promise<LabelView[]> {
  const rows = await db.selectFrom('taskLabels').select(['id', 'name', 'color']).where('groupId', '=', groupId).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, color: r.color as LabelView['color'] }));
}

export type BoardColumn = ColumnView & { count: number; cards: CardView[] };
export type BoardView = {
  group: { id: string; slug: string; name: string; timeZone: string };
  columns: BoardColumn[];
  labels: LabelView[];
  can: { 'task.create': boolean; 'task.columns': boolean; 'task.labels': boolean };
};

export function createBoard(deps: Deps) {
  const { db, clock } = deps;

  /** The group for a board page: readable by the actor, its board made on the first visit. */
  async function boardGroup(actor: Actor, slug: string): Promise<TaskGroup> {
    const g = await groupOr404(db, slug);
    authorize(actor, 'group.read', groupFactsOf(g));
    const has = await db.selectFrom('taskBoards').select('groupId').where('groupId', '=', g.id).executeTakeFirst();
    if (!has) await inTx(deps, (tx) => ensureBoard(tx, g.id, clock.now().toISOString()));
    return g;
  }

  /** A group's columns for a change by its admins (`task.columns`). */
  async function forColumns(tx: Tx, actor: Actor, slug: string) {
    const g = await groupOr404(tx, slug);
    authorize(actor, 'group.read', groupFactsOf(g));
    authorize(actor, 'task.columns', groupFactsOf(g));
    await ensureBoard(tx, g.id, clock.now().toISOString());
    return { g, columns: await columnsOf(tx, g.id) };
  }

  const changed = (tx: Tx, g: TaskGroup, actor: Actor, columnId: string) =>
    recordEvent(tx, { type: 'task.board_changed', groupId: g.id, actorId: isUser(actor) ? actor.userId : null, data: { columnId } }, clock.now());

  return {
    boardGroup,

    /**
     * The board: every column in order with its cards in order (at most `COLUMN_CARDS`, the
     * done column its first `DONE_CARDS`), their counts, the group's labels and what the
     * actor may do. The first visit of a group's board makes its default columns.
     */
    async board(actor: Actor, raw: unknown): Promise<BoardView> {
      const { groupSlug } = parse(BoardInput, raw);
      const g = await boardGroup(actor, groupSlug);
      const columns = await columnsOf(db, g.id);
      const counts = new Map(
        (await db.selectFrom('tasks').select(['columnId', (eb) => eb.fn.countAll<number>().as('n')]).where('groupId', '=', g.id).where('deletedAt', 'is', null).groupBy('columnId').execute()).map((r) => [r.columnId, Number(r.n)]),
      );
      const rows = [];
      for (const c of columns)
        rows.push(
          ...(await db
            .selectFrom('tasks')
            .selectAll()
            .where('groupId', '=', g.id)
            .where('columnId', '=', c.id)
            .where('deletedAt', 'is', null)
            .orderBy('position')
            .orderBy('id')
            .limit(c.isDone ? DONE_CARDS : COLUMN_CARDS)
            .execute()),
        );
      const zone = zoneOf(g);
      const cards = await presentCards(db, rows, () => zone, clock.now());
      return {
        group: { id: g.id, slug: g.slug, name: g.name, timeZone: zone },
        columns: columns.map((c) => ({ ...c, count: counts.get(c.id) ?? 0, cards: cards.filter((x) => x.columnId === c.id) })),
        labels: await labelsOf(db, g.id),
        can: abilities(actor, ['task.create', 'task.columns', 'task.labels'], groupFactsOf(g)),
      };
    },

    /** The board's settings page: its columns, labels and time zone, and who may change what. */
    async settings(actor: Actor, raw: unknown) {
      const { groupSlug } = parse(BoardInput, raw);
      const g = await boardGroup(actor, groupSlug);
      return {
        group: { id: g.id, slug: g.slug, name: g.name, timeZone: zoneOf(g), ownTimeZone: g.timeZone },
        columns: await columnsOf(db, g.id),
        labels: await labelsOf(db, g.id),
        can: abilities(actor, ['task.columns', 'task.labels'], groupFactsOf(g)),
      };
    },

    /** Adds a column at the end of the board (group admins). */
    async addColumn(actor: Actor, raw: unknown): Promise<ColumnView> {
      const input = parse(ColumnCreateInput, raw);
      return inTx(deps, async (tx) => {
        const { g, columns } = await forColumns(tx, actor, input.groupSlug);
        if (columns.length >= COLUMNS_MAX) throw new DomainError('invalid', 'columns_full', [{ path: 'name', code: 'columns_full', params: { max: COLUMNS_MAX } }], { max: COLUMNS_MAX });
        const id = newId();
        const position = columns.length ? Math.max(...columns.map((c) => c.position)) + 1 : 0;
        await tx.insertInto('taskColumns').values({ id, groupId: g.id, name: input.name, preset: null, position, isDone: 0, createdAt: clock.now().toISOString() }).execute();
        await changed(tx, g, actor, id);
        return { id, name: input.name, preset: null, position, isDone: false };
      });
    },

    /**
     * Renames a column, moves it one step left or right, or makes it the "done" column
     * (group admins). When the done column changes, the tasks in the new one count as done
     * and those in the old one as open again.
     */
    async editColumn(actor: Actor, raw: unknown): Promise<ColumnView[]> {
      const input = parse(ColumnEditInput, raw);
      return inTx(deps, async (tx) => {
        const { g, columns } = await forColumns(tx, actor, input.groupSlug);
        const i = columns.findIndex((c) => c.id === input.columnId);
        if (i < 0) return notFound();
        const c = columns[i];
        const now = clock.now().toISOString();
        if (input.name !== undefined) await tx.updateTable('taskColumns').set({ name: input.name }).where('id', '=', c.id).execute();
        if (input.direction) {
          const j = input.direction === 'left' ? i - 1 : i + 1;
          const other = columns[j];
          if (other) {
            await tx.updateTable('taskColumns').set({ position: other.position }).where('id', '=', c.id).execute();
            await tx.updateTable('taskColumns').set({ position: c.position }).where('id', '=', other.id).execute();
          }
        }
        if (input.done && !c.isDone) {
          const old = columns.find((x) => x.isDone);
          await tx.updateTable('taskColumns').set({ isDone: 0 }).where('groupId', '=', g.id).execute();
          await tx.updateTable('taskColumns').set({ isDone: 1 }).where('id', '=', c.id).execute();
          if (old) await tx.updateTable('tasks').set({ completedAt: null, completedBy: null }).where('columnId', '=', old.id).where('deletedAt', 'is', null).execute();
          await tx.updateTable('tasks').set({ completedAt: now, completedBy: isUser(actor) ? actor.userId : null }).where('columnId', '=', c.id).where('completedAt', 'is', null).where('deletedAt', 'is', null).execute();
        }
        await changed(tx, g, actor, c.id);
        return columnsOf(tx, g.id);
      });
    },

    /** Removes an empty column (group admins); the done column and the last open column stay. */
    async removeColumn(actor: Actor, raw: unknown): Promise<ColumnView[]> {
      const input = parse(ColumnRef, raw);
      return inTx(deps, async (tx) => {
        const { g, columns } = await forColumns(tx, actor, input.groupSlug);
        const c = columns.find((x) => x.id === input.columnId) ?? notFound();
        if (c.isDone) throw new DomainError('invalid', 'column_is_done');
        if (columns.filter((x) => !x.isDone).length <= 1) throw new DomainError('invalid', 'column_last');
        const live = await tx.selectFrom('tasks').select('id').where('columnId', '=', c.id).where('deletedAt', 'is', null).limit(1).executeTakeFirst();
        if (live) throw new DomainError('invalid', 'column_not_empty');
        await tx.deleteFrom('taskColumns').where('id', '=', c.id).execute();
        await tx
          .updateTable('taskColumns')
          .set((eb) => ({ position: eb('position', '-', 1) }))
          .where('groupId', '=', g.id)
          .where('position', '>', c.position)
          .execute();
        await changed(tx, g, actor, c.id);
        return columnsOf(tx, g.id);
      });
    },

    /** Sets the group's time zone, in which due days are read (group admins); '' goes back to the default. */
    async setTimeZone(actor: Actor, raw: unknown): Promise<{ timeZone: string }> {
      const input = parse(BoardSettingsInput, raw);
      if (input.timeZone !== '' && !isTimeZone(input.timeZone)) invalidField('timeZone', 'bad_time_zone');
      return inTx(deps, async (tx) => {
        const { g } = await forColumns(tx, actor, input.groupSlug);
        const from = zoneOf(g);
        const to = zoneOf({ timeZone: input.timeZone || null });
        await tx.updateTable('groups').set({ timeZone: input.timeZone || null }).where('id', '=', g.id).execute();
        // Due days stay the same days: "by Friday" is Friday in the new time zone too.
        if (from !== to) {
          const days = await tx.selectFrom('tasks').select(['id', 'dueAt']).where('groupId', '=', g.id).where('dueHasTime', '=', 0).where('dueAt', 'is not', null).execute();
          for (const d of days) {
            const moved = storeDue(parseDay(showDue(d.dueAt!, false, from).date)!, null, to);
            await tx.updateTable('tasks').set({ dueAt: moved.dueAt, overdueAt: moved.overdueAt }).where('id', '=', d.id).execute();
            // Reminders already sent for this due day stay sent: they follow the day to its new instant.
            const sent = await tx.selectFrom('taskReminders').selectAll().where('taskId', '=', d.id).where('dueAt', '=', d.dueAt!).execute();
            if (sent.length && moved.dueAt !== d.dueAt) {
              await tx.insertInto('taskReminders').values(sent.map((r) => ({ ...r, dueAt: moved.dueAt }))).onConflict((oc) => oc.columns(['taskId', 'userId', 'kind', 'dueAt']).doNothing()).execute();
              await tx.deleteFrom('taskReminders').where('taskId', '=', d.id).where('dueAt', '=', d.dueAt!).execute();
            }
          }
          // Checklist lines due on a day keep their day as well.
          const lines = await tx
            .selectFrom('taskChecklistItems')
            .innerJoin('tasks', 'tasks.id', 'taskChecklistItems.taskId')
            .select(['taskChecklistItems.id', 'taskChecklistItems.dueAt'])
            .where('tasks.groupId', '=', g.id)
            .where('taskChecklistItems.dueHasTime', '=', 0)
            .where('taskChecklistItems.dueAt', 'is not', null)
            .execute();
          for (const l of lines) {
            const moved = storeDue(parseDay(showDue(l.dueAt!, false, from).date)!, null, to);
            await tx.updateTable('taskChecklistItems').set({ dueAt: moved.dueAt }).where('id', '=', l.id).execute();
          }
        }
        await changed(tx, g, actor, '');
        return { timeZone: zoneOf({ timeZone: input.timeZone || null }) };
      });
    },
  };
}
