import type { App } from '../../src/lib/server/app';
import type { Actor } from '../../src/lib/server/policy';

type TaskApp = Pick<App, 'tasks' | 'db'>;

/** Creates a task through the service (as pages do) and returns its id. */
export async function makeTask(app: TaskApp, actor: Actor, groupSlug: string, over: Record<string, unknown> = {}): Promise<string> {
  return (await app.tasks.create(actor, { groupSlug, title: 'Tenir le stand du marché', ...over })).id;
}

/** The board's columns of a group, in order (made on the first visit). */
export async function columnsOf(app: TaskApp, actor: Actor, groupSlug: string) {
  return (await app.tasks.board(actor, { groupSlug })).columns;
}

/** Titles per column, in order: what the board shows. */
export async function boardTitles(app: TaskApp, actor: Actor, groupSlug: string): Promise<string[][]> {
  return (await columnsOf(app, actor, groupSlug)).map((c) => c.cards.map((x) => x.title));
}

/** The live tasks of a column with their positions, straight from the table (0…n-1 expected). */
export async function positions(app: TaskApp, columnId: string): Promise<number[]> {
  const rows = await app.db.selectFrom('tasks').select('position').where('columnId', '=', columnId).where('deletedAt', 'is', null).orderBy('position').execute();
  return rows.map((r) => Number(r.position));
}
