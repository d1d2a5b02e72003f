import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, addMember, makeCircle, makeGroup } from '../../../../../tests/support/discussions-factories';
import { boardTitles, columnsOf, makeTask, positions } from '../../../../../tests/support/tasks-factories';

describe.each(engines)('boards on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  const version = async (taskId: string) => (await app.tasks.get(c.anne.actor, { taskId })).version;

  it('moves keep every column in order; entering the done column completes, leaving it reopens', async () => {
    const [todo, doing, done] = await columnsOf(app, c.anne.actor, c.g.slug);
    const ids: string[] = [];
    for (const title of ['C', 'B', 'A']) ids.unshift(await makeTask(app, c.anne.actor, c.g.slug, { title }));
    expect(await boardTitles(app, c.anne.actor, c.g.slug)).toEqual([['A', 'B', 'C'], [], []]);
    // Within a column: A to the bottom.
    await app.tasks.move(c.anne.actor, { taskId: ids[0], version: 1, columnId: todo.id, position: 2 });
    expect(await boardTitles(app, c.anne.actor, c.g.slug)).toEqual([['B', 'C', 'A'], [], []]);
    // To another column, at a place past the end: the end.
    await app.tasks.move(c.anne.actor, { taskId: ids[1], version: 1, columnId: doing.id, position: 99 });
    await app.tasks.move(c.bert.actor, { taskId: ids[2], version: 1, columnId: doing.id, position: 'first' });
    expect(await boardTitles(app, c.anne.actor, c.g.slug)).toEqual([['A'], ['C', 'B'], []]);
    const moved = await app.tasks.move(c.bert.actor, { taskId: ids[1], version: await version(ids[1]), columnId: done.id, position: 'last' });
    expect(moved).toMatchObject({ columnId: done.id, position: 0 });
    const b = await app.tasks.get(c.anne.actor, { taskId: ids[1] });
    expect(b.done).toBe(true);
    expect(b.column.isDone).toBe(true);
    expect((await app.db.selectFrom('events').select('type').where('type', 'in', ['task.completed', 'task.reopened']).execute()).map((e) => e.type)).toEqual(['task.completed']);
    await app.tasks.move(c.anne.actor, { taskId: ids[1], version: b.version, columnId: todo.id, position: 'first' });
    expect((await app.tasks.get(c.anne.actor, { taskId: ids[1] })).done).toBe(false);
    for (const col of [todo, doing, done]) {
      const p = await positions(app, col.id);
      expect(p).toEqual(p.map((_, i) => i));
    }
    // History says where it went.
    const statuses = (await app.tasks.activity(c.anne.actor, { taskId: ids[1] })).activity.filter((a) => a.kind === 'status');
    expect(statuses.map((s) => [(s.data.from as { preset: string }).preset, (s.data.to as { preset: string }).preset])).toEqual([['done', 'todo'], ['doing', 'done'], ['todo', 'doing']]);
  });

  it('a move into another group’s column is refused as unknown, and an old version as changed meanwhile', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug);
    const other = await makeGroup(app, { visibility: 'closed', createdBy: c.admin.id });
    await addMember(app, other.id, c.anne.id);
    const foreign = (await columnsOf(app, await actorOf(app, c.anne.id), other.slug))[1];
    await expect(app.tasks.move(c.anne.actor, { taskId: t, version: 1, columnId: foreign.id, position: 0 })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'columnId', code: 'column_unknown' }] });
    const [, doing] = await columnsOf(app, c.anne.actor, c.g.slug);
    await app.tasks.edit(c.bert.actor, { taskId: t, version: 1, title: 'Renamed' });
    await expect(app.tasks.move(c.anne.actor, { taskId: t, version: 1, columnId: doing.id, position: 0 })).rejects.toMatchObject({ kind: 'conflict', code: 'task_changed' });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).column.id).not.toBe(doing.id);
  });

  it('two people moving the same card at once: one wins, the other is told, the order stays consistent', async () => {
    const [, doing, done] = await columnsOf(app, c.anne.actor, c.g.slug);
    const t = await makeTask(app, c.anne.actor, c.g.slug);
    await makeTask(app, c.anne.actor, c.g.slug);
    const r = await Promise.allSettled([
      app.tasks.move(c.anne.actor, { taskId: t, version: 1, columnId: doing.id, position: 0 }),
      app.tasks.move(c.bert.actor, { taskId: t, version: 1, columnId: done.id, position: 0 }),
    ]);
    expect(r.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect((r.find((x) => x.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict', code: 'task_changed' });
    const cols = await columnsOf(app, c.anne.actor, c.g.slug);
    expect(cols.reduce((n, x) => n + x.count, 0)).toBe(2);
    for (const col of cols) {
      const p = await positions(app, col.id);
      expect(p).toEqual(p.map((_, i) => i));
    }
  });

  it('many cards moved at once by different people keep dense positions in every column', async () => {
    const [todo, doing] = await columnsOf(app, c.anne.actor, c.g.slug);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await makeTask(app, c.anne.actor, c.g.slug, { title: `T${i}` }));
    const who = [c.anne.actor, c.bert.actor, c.admin.actor];
    await Promise.all(ids.map((id, i) => app.tasks.move(who[i % 3], { taskId: id, version: 1, columnId: i % 2 ? doing.id : todo.id, position: i % 4 })));
    const cols = await columnsOf(app, c.anne.actor, c.g.slug);
    expect(cols.reduce((n, x) => n + x.count, 0)).toBe(12);
    for (const col of cols) {
      const p = await positions(app, col.id);
      expect(p).toEqual(p.map((_, i) => i));
    }
  });

  it('group admins manage columns: add, rename, reorder, choose the done column, remove only empty ones', async () => {
    await expect(app.tasks.addColumn(c.anne.actor, { groupSlug: c.g.slug, name: 'Waiting' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.tasks.addColumn(c.outsider.actor, { groupSlug: c.g.slug, name: 'Waiting' })).rejects.toMatchObject({ kind: 'not_found' });
    const waiting = await app.tasks.addColumn(c.admin.actor, { groupSlug: c.g.slug, name: 'En attente' });
    let cols = await app.tasks.editColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: waiting.id, direction: 'left' });
    expect(cols.map((x) => x.name ?? x.preset)).toEqual(['todo', 'doing', 'En attente', 'done']);
    const [todo, , , done] = cols;
    cols = await app.tasks.editColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: todo.id, name: 'Idées' });
    expect(cols[0].name).toBe('Idées');
    const t = await makeTask(app, c.anne.actor, c.g.slug, { columnId: waiting.id });
    await expect(app.tasks.removeColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: waiting.id })).rejects.toMatchObject({ code: 'column_not_empty' });
    await expect(app.tasks.removeColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: done.id })).rejects.toMatchObject({ code: 'column_is_done' });
    // Making "En attente" the done column: its task counts as done.
    cols = await app.tasks.editColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: waiting.id, done: true });
    expect(cols.filter((x) => x.isDone).map((x) => x.id)).toEqual([waiting.id]);
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).done).toBe(true);
    cols = await app.tasks.removeColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: done.id });
    expect(cols.map((x) => x.position)).toEqual([0, 1, 2]);
    const open = cols.filter((x) => !x.isDone);
    await app.tasks.removeColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: open[1].id });
    await expect(app.tasks.removeColumn(c.admin.actor, { groupSlug: c.g.slug, columnId: open[0].id })).rejects.toMatchObject({ code: 'column_last' });
  });

  it('a group’s own time zone: due days stay the same days, due times the same instants; admins only', async () => {
    const day = await makeTask(app, c.anne.actor, c.g.slug, { dueDate: '2026-03-20' });
    const timed = await makeTask(app, c.anne.actor, c.g.slug, { dueDate: '2026-03-20', dueTime: '18:00' });
    await app.tasks.addChecklist(c.anne.actor, { taskId: day, text: 'Tables', dueDate: '2026-03-19' });
    await expect(app.tasks.setTimeZone(c.anne.actor, { groupSlug: c.g.slug, timeZone: 'America/Montreal' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.tasks.setTimeZone(c.admin.actor, { groupSlug: c.g.slug, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ issues: [{ path: 'timeZone', code: 'bad_time_zone' }] });
    await app.tasks.setTimeZone(c.admin.actor, { groupSlug: c.g.slug, timeZone: 'America/Montreal' });
    expect((await app.tasks.get(c.anne.actor, { taskId: day })).due).toMatchObject({ date: '2026-03-20', time: null });
    // 18:00 in Brussels (UTC+1 on 20 March) is 13:00 in Montreal (UTC-4): the same instant.
    expect((await app.tasks.get(c.anne.actor, { taskId: timed })).due).toMatchObject({ date: '2026-03-20', time: '13:00', at: '2026-03-20T17:00:00.000Z' });
    expect((await app.db.selectFrom('tasks').select('dueAt').where('id', '=', day).executeTakeFirstOrThrow()).dueAt).toBe('2026-03-20T04:00:00.000Z');
    expect((await app.tasks.get(c.anne.actor, { taskId: day })).checklistItems[0].due).toMatchObject({ date: '2026-03-19', time: null, at: '2026-03-19T04:00:00.000Z' });
    await app.tasks.setTimeZone(c.admin.actor, { groupSlug: c.g.slug, timeZone: '' });
    expect((await app.tasks.settings(c.anne.actor, { groupSlug: c.g.slug })).group).toMatchObject({ timeZone: 'Europe/Brussels', ownTimeZone: null });
  });

  it('a checklist: lines with their own assignee and due date, at most 200, a list of 10,000 refused with nothing written', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug);
    const { ids } = await app.tasks.addChecklist(c.anne.actor, { taskId: t, text: 'Tables\nNappes\n\nGobelets' });
    expect(ids).toHaveLength(3);
    await app.tasks.editChecklist(c.bert.actor, { taskId: t, itemId: ids[1], done: true, assigneeId: c.bert.id, dueDate: '2026-01-18' });
    const view = await app.tasks.get(c.anne.actor, { taskId: t });
    expect(view.checklist).toEqual({ total: 3, done: 1 });
    expect(view.checklistItems.map((i) => [i.text, i.done, i.assignee?.id ?? null, i.due?.date ?? null])).toEqual([
      ['Tables', false, null, null],
      ['Nappes', true, c.bert.id, '2026-01-18'],
      ['Gobelets', false, null, null],
    ]);
    // A checklist line is not an edit of the task: the version the others saw stays valid.
    expect(view.version).toBe(1);
    // A line due on a day is late once that day is over in the group's time zone, not on the morning.
    await app.tasks.editChecklist(c.anne.actor, { taskId: t, itemId: ids[0], dueDate: '2026-01-15' });
    await app.tasks.editChecklist(c.anne.actor, { taskId: t, itemId: ids[2], dueDate: '2026-01-14' });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).checklistItems.map((i) => i.due?.overdue)).toEqual([false, false, true]);
    await expect(app.tasks.editChecklist(c.anne.actor, { taskId: t, itemId: ids[0], assigneeId: c.outsider.id })).rejects.toMatchObject({ issues: [{ path: 'assigneeId', code: 'assignee_not_member' }] });
    const huge = Array.from({ length: 10_000 }, (_, i) => `Ligne ${i}`);
    await expect(app.tasks.addChecklist(c.anne.actor, { taskId: t, items: huge })).rejects.toMatchObject({ kind: 'invalid', code: 'checklist_full', params: { max: 200 } });
    await expect(app.tasks.addChecklist(c.anne.actor, { taskId: t, text: huge.join('\n') })).rejects.toMatchObject({ code: 'checklist_full' });
    await expect(app.tasks.addChecklist(c.anne.actor, { taskId: t, items: huge.slice(0, 198) })).rejects.toMatchObject({ code: 'checklist_full' });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).checklist.total).toBe(3);
    await app.tasks.addChecklist(c.anne.actor, { taskId: t, items: huge.slice(0, 197) });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).checklist.total).toBe(200);
    await app.tasks.removeChecklist(c.anne.actor, { taskId: t, itemId: ids[2] });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).checklist).toEqual({ total: 199, done: 1 });
  });

  it('comments with mentions and reactions; deleted comments keep nothing', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug);
    const cm = await app.tasks.comment(c.bert.actor, { taskId: t, body: `C’est fait pour les nappes, @${c.anne.handle}` });
    await app.tasks.react(c.anne.actor, { targetId: cm.id, emoji: '🎉' });
    let list = (await app.tasks.comments(c.anne.actor, { taskId: t })).comments;
    expect(list[0].bodyHtml).toContain(`/u/${c.anne.handle}`);
    expect(list[0].reactions).toEqual([{ emoji: '🎉', count: 1, mine: true }]);
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).commentCount).toBe(1);
    await expect(app.tasks.removeComment(c.anne.actor, { commentId: cm.id })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.tasks.removeComment(c.admin.actor, { commentId: cm.id });
    list = (await app.tasks.comments(c.anne.actor, { taskId: t })).comments;
    expect(list[0]).toMatchObject({ deleted: true, body: null, bodyHtml: null, reactions: [] });
    await expect(app.tasks.react(c.anne.actor, { targetId: cm.id, emoji: '👍' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
