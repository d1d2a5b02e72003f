import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeCircle } from '../../../../../tests/support/discussions-factories';
import { columnsOf, makeTask } from '../../../../../tests/support/tasks-factories';

/**
 * A device outbox repeats a task change whose answer was lost, under the same idempotency key:
 * the repeat answers as the first try did and changes nothing, even when the task changed in
 * between (a late repeat must not undo what others did since).
 */
describe.each(engines)('task changes repeated with their key on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());
  const task = (id: string) => app.tasks.get(c.anne.actor, { taskId: id });
  const history = async (id: string) => (await app.tasks.activity(c.anne.actor, { taskId: id })).activity.map((a) => a.kind);

  it('"mark done" repeated after the task was reopened leaves it open, with one completion in its history', async () => {
    const id = await makeTask(app, c.anne.actor, c.g.slug);
    const first = await app.tasks.complete(c.anne.actor, { taskId: id, key: 'done-key-0001' });
    const [todo] = await columnsOf(app, c.anne.actor, c.g.slug);
    await app.tasks.move(c.bert.actor, { taskId: id, columnId: todo.id, position: 0, version: first.version });
    expect(await app.tasks.complete(c.anne.actor, { taskId: id, key: 'done-key-0001' })).toEqual(first);
    expect((await task(id)).done).toBe(false);
    expect((await app.db.selectFrom('events').select('id').where('type', '=', 'task.completed').execute()).length).toBe(1);
    // Another key is another tap: it completes the task again.
    await app.tasks.complete(c.anne.actor, { taskId: id, key: 'done-key-0002' });
    expect((await task(id)).done).toBe(true);
  });

  it('"I\'ll take it" repeated after the task was given to someone else keeps the new assignee', async () => {
    const id = await makeTask(app, c.anne.actor, c.g.slug);
    const first = await app.tasks.take(c.anne.actor, { taskId: id, key: 'take-key-0001' });
    const now = await task(id);
    await app.tasks.edit(c.bert.actor, { taskId: id, version: now.version, assigneeIds: [c.bert.id] });
    expect(await app.tasks.take(c.anne.actor, { taskId: id, key: 'take-key-0001' })).toEqual(first);
    expect((await task(id)).assignees.map((a) => a.id)).toEqual([c.bert.id]);
    // Without the key it is a new tap, told the task is taken.
    await expect(app.tasks.take(c.anne.actor, { taskId: id })).rejects.toMatchObject({ kind: 'conflict', code: 'task_taken' });
  });

  it('a move repeated with its key answers as the first one instead of a conflict, and moves nothing', async () => {
    const id = await makeTask(app, c.anne.actor, c.g.slug);
    const [, doing] = await columnsOf(app, c.anne.actor, c.g.slug);
    const v = (await task(id)).version;
    const first = await app.tasks.move(c.anne.actor, { taskId: id, columnId: doing.id, position: 0, version: v, key: 'move-key-0001' });
    const again = await app.tasks.move(c.anne.actor, { taskId: id, columnId: doing.id, position: 0, version: v, key: 'move-key-0001' });
    expect(again).toEqual(first);
    expect((await task(id)).version).toBe(first.version);
    expect((await history(id)).filter((k) => k === 'status')).toHaveLength(1);
    // The same key for another kind of change is refused, and changes nothing.
    await expect(app.tasks.complete(c.anne.actor, { taskId: id, key: 'move-key-0001' })).rejects.toMatchObject({ issues: [{ path: 'key', code: 'key_reused' }] });
    expect((await task(id)).done).toBe(false);
  });
});
