import { renderMarkdown } from '../src/lib/server/markdown';
import { newId } from '../src/lib/server/kernel/ids';
import type { Insertable } from 'kysely';
import type { App } from '../src/lib/server/app';
import type { CommentsTable, DiscussionsTable, TasksTable } from '../src/lib/server/db/schema';
import { ensureBoard } from '../src/lib/server/domain/tasks/board';

/**
 * Bulk data for benchmarks, written straight into the tables in large transactions (the
 * services would take minutes for 100,000 discussions). Rows follow the same invariants as
 * the services: group-wide seq numbers, counters and last-activity times.
 */
export async function seedGroup(app: App, opts: { slug: string; ownerId: string; memberIds: string[] }) {
  const now = new Date().toISOString();
  const id = newId();
  await app.db
    .insertInto('groups')
    .values({ id, parentId: null, name: `Bench ${opts.slug}`, slug: opts.slug, description: 'Benchmark group', coverFileId: null, visibility: 'open', createdBy: opts.ownerId, createdAt: now, lastSeq: 0, discussionCount: 0, memberCount: opts.memberIds.length, lastActivityAt: now })
    .execute();
  await app.db
    .insertInto('memberships')
    .values(opts.memberIds.map((u, i) => ({ groupId: id, userId: u, role: i === 0 ? ('admin' as const) : ('member' as const), createdAt: now, readFloorSeq: 0, unreadCount: 0 })))
    .execute();
  return id;
}

const paragraph =
  'Bonjour à toutes et à tous, voici le compte rendu de la réunion du groupe **Coordination**. Nous avons parlé du marché de Saint-Gilles, des prestataires et du prochain *apéro zinne*. Merci de relire avant jeudi.';

/** Adds `n` discussions to a group, `batch` per transaction. Returns their ids in order. */
export async function seedDiscussions(app: App, groupId: string, authorId: string, n: number, batch = 5000): Promise<string[]> {
  const ids: string[] = [];
  const g = await app.db.selectFrom('groups').select(['lastSeq', 'discussionCount']).where('id', '=', groupId).executeTakeFirstOrThrow();
  let seq = g.lastSeq;
  const html = renderMarkdown(paragraph);
  const t0 = Date.now() - n * 60_000;
  for (let start = 0; start < n; start += batch) {
    const rows: Insertable<DiscussionsTable>[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      const id = newId();
      ids.push(id);
      seq++;
      const at = new Date(t0 + i * 60_000).toISOString();
      rows.push({ id, groupId, authorId, title: `Sujet ${i + 1} : organisation du marché`, body: paragraph, bodyHtml: html, seq, lastSeq: seq, commentCount: 0, pinnedAt: null, lockedAt: null, createdAt: at, editedAt: null, deletedAt: null, lastActivityAt: at });
    }
    await app.db.transaction().execute(async (tx) => {
      for (let k = 0; k < rows.length; k += 500) await tx.insertInto('discussions').values(rows.slice(k, k + 500)).execute();
      await tx.updateTable('groups').set({ lastSeq: seq, discussionCount: g.discussionCount + ids.length, lastActivityAt: rows[rows.length - 1].lastActivityAt as string }).where('id', '=', groupId).execute();
      await tx.updateTable('memberships').set((eb) => ({ unreadCount: eb('unreadCount', '+', rows.length) })).where('groupId', '=', groupId).where('userId', '<>', authorId).execute();
    });
  }
  return ids;
}

/** Adds `n` comments to one discussion. */
export async function seedComments(app: App, discussionId: string, authorIds: string[], n: number) {
  const d = await app.db.selectFrom('discussions').select(['groupId']).where('id', '=', discussionId).executeTakeFirstOrThrow();
  const g = await app.db.selectFrom('groups').select(['lastSeq']).where('id', '=', d.groupId).executeTakeFirstOrThrow();
  let seq = g.lastSeq;
  const rows: Insertable<CommentsTable>[] = [];
  for (let i = 0; i < n; i++) {
    seq++;
    const body = `${paragraph}\n\nRéponse n° ${i + 1}. @${'bench'} ok ?`;
    rows.push({ id: newId(), discussionId, groupId: d.groupId, authorId: authorIds[i % authorIds.length], body, bodyHtml: renderMarkdown(body), seq, createdAt: new Date(Date.now() - (n - i) * 1000).toISOString(), editedAt: null, deletedAt: null, deletedBy: null });
  }
  await app.db.transaction().execute(async (tx) => {
    for (let k = 0; k < rows.length; k += 200) await tx.insertInto('comments').values(rows.slice(k, k + 200)).execute();
    await tx.updateTable('discussions').set({ commentCount: n, lastSeq: seq, lastActivityAt: new Date().toISOString() }).where('id', '=', discussionId).execute();
    await tx.updateTable('groups').set({ lastSeq: seq }).where('id', '=', d.groupId).execute();
  });
}

/**
 * A board of `n` tasks in one group, straight into the tables (like `seedDiscussions`): the
 * default columns made by the tasks feature itself, cards spread over the columns with dense
 * positions, every other one assigned to someone of `assigneeIds`, a third with a due date.
 */
export async function seedTasks(app: App, groupId: string, authorId: string, n: number, assigneeIds: string[]): Promise<string[]> {
  const now = new Date();
  await app.db.transaction().execute((tx) => ensureBoard(tx, groupId, now.toISOString()));
  const columns = await app.db.selectFrom('taskColumns').select(['id', 'isDone']).where('groupId', '=', groupId).orderBy('position').execute();
  const ids: string[] = [];
  const rows: Insertable<TasksTable>[] = [];
  const assignees: { taskId: string; userId: string; createdAt: string }[] = [];
  const next = new Map(columns.map((c) => [c.id, 0]));
  for (let i = 0; i < n; i++) {
    const id = newId();
    ids.push(id);
    const column = columns[i % columns.length];
    const position = next.get(column.id)!;
    next.set(column.id, position + 1);
    const at = new Date(now.getTime() - (n - i) * 60_000).toISOString();
    const due = i % 3 === 0 ? new Date(now.getTime() + ((i % 30) - 10) * 86_400_000).toISOString() : null;
    rows.push({
      id, groupId, columnId: column.id, position, title: `Tâche ${i + 1} : préparer le stand du marché`, description: paragraph, descriptionHtml: renderMarkdown(paragraph), priority: i % 4, dueAt: due, dueHasTime: 0, overdueAt: due,
      authorId, version: 1, completedAt: column.isDone ? at : null, completedBy: null, deletedAt: null, deletedBy: null, originKind: null, originId: null, originDiscussionId: null, recurrence: null, seriesId: null, nextTaskId: null,
      commentCount: 0, checklistCount: 0, checklistDone: 0, createdAt: at, updatedAt: at,
    });
    if (i % 2 === 0 && assigneeIds.length) assignees.push({ taskId: id, userId: assigneeIds[i % assigneeIds.length], createdAt: at });
  }
  await app.db.transaction().execute(async (tx) => {
    for (let k = 0; k < rows.length; k += 200) await tx.insertInto('tasks').values(rows.slice(k, k + 200)).execute();
    for (let k = 0; k < assignees.length; k += 200) await tx.insertInto('taskAssignees').values(assignees.slice(k, k + 200)).execute();
  });
  return ids;
}
