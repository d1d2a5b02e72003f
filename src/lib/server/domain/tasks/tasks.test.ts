import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, addMember, makeCircle, makeGroup } from '../../../../../tests/support/discussions-factories';
import { columnsOf, makeTask } from '../../../../../tests/support/tasks-factories';
import { visitor } from '../../policy';

describe.each(engines)('tasks on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  it('a member creates a task: default columns made once, at the top of the first column, with history, search row and events', async () => {
    const first = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Imprimer les affiches', description: 'Pour **samedi**', priority: 'high', assigneeIds: [c.bert.id], dueDate: '2026-01-20' });
    const second = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Réserver la salle' });
    const board = await app.tasks.board(c.anne.actor, { groupSlug: c.g.slug });
    expect(board.columns.map((x) => [x.preset, x.isDone])).toEqual([['todo', false], ['doing', false], ['done', true]]);
    expect(board.columns[0].cards.map((x) => x.id)).toEqual([second, first]);
    const t = await app.tasks.get(c.anne.actor, { taskId: first });
    expect(t).toMatchObject({ title: 'Imprimer les affiches', priority: 'high', version: 1, done: false, due: { date: '2026-01-20', time: null, hasTime: false } });
    expect(t.descriptionHtml).toContain('<strong>samedi</strong>');
    expect(t.assignees.map((a) => a.id)).toEqual([c.bert.id]);
    // A due day is the start of that day in Brussels (UTC+1 in January), overdue once it has passed there.
    const row = await app.db.selectFrom('tasks').select(['dueAt', 'overdueAt']).where('id', '=', first).executeTakeFirstOrThrow();
    expect(row).toEqual({ dueAt: '2026-01-19T23:00:00.000Z', overdueAt: '2026-01-20T23:00:00.000Z' });
    const history = await app.tasks.activity(c.anne.actor, { taskId: first });
    expect(history.activity.map((a) => a.kind).sort()).toEqual(['assignees', 'created']);
    expect((await app.db.selectFrom('events').select('type').where('type', 'like', 'task.%').execute()).map((e) => e.type).sort()).toEqual(['task.assigned', 'task.created', 'task.created']);
    const found = await app.discussions.search(c.bert.actor, { q: 'affiche' });
    expect(found.hits.map((h) => [h.kind, h.url])).toEqual([['task', `/tasks/${first}`]]);
    // The board of another group is made on its first visit, once.
    const other = await makeGroup(app, { visibility: 'open', createdBy: c.admin.id });
    await Promise.all([app.tasks.board(c.outsider.actor, { groupSlug: other.slug }), app.tasks.board(visitor, { groupSlug: other.slug })]);
    expect(await app.db.selectFrom('taskColumns').select('id').where('groupId', '=', other.id).execute()).toHaveLength(3);
  });

  it('times are read in the group’s time zone, across daylight saving time, and come back as given', async () => {
    const summer = await makeTask(app, c.anne.actor, c.g.slug, { dueDate: '2026-07-03', dueTime: '18:30' });
    expect(await app.db.selectFrom('tasks').select(['dueAt', 'dueHasTime']).where('id', '=', summer).executeTakeFirstOrThrow()).toEqual({ dueAt: '2026-07-03T16:30:00.000Z', dueHasTime: 1 });
    expect((await app.tasks.get(c.anne.actor, { taskId: summer })).due).toMatchObject({ date: '2026-07-03', time: '18:30' });
    await app.db.updateTable('groups').set({ timeZone: 'America/New_York' }).where('id', '=', c.g.id).execute();
    const ny = await makeTask(app, c.anne.actor, c.g.slug, { dueDate: '2026-03-08', dueTime: '09:00' });
    expect((await app.db.selectFrom('tasks').select('dueAt').where('id', '=', ny).executeTakeFirstOrThrow()).dueAt).toBe('2026-03-08T13:00:00.000Z');
  });

  it('bad input is refused field by field, and nothing is written', async () => {
    const before = await app.db.selectFrom('tasks').select('id').execute();
    const bad: [Record<string, unknown>, string, string][] = [
      [{ title: '' }, 'title', 'required'],
      [{ dueDate: '2026-02-30' }, 'dueDate', 'bad_date'],
      [{ dueDate: 'tomorrow' }, 'dueDate', 'bad_date'],
      [{ dueDate: '2026-02-10', dueTime: '25:00' }, 'dueTime', 'bad_time'],
      [{ dueTime: '10:00' }, 'dueDate', 'due_time_without_date'],
      [{ assigneeIds: [c.outsider.id] }, 'assigneeIds', 'assignee_not_member'],
      [{ assigneeIds: ['not-an-id'] }, 'assigneeIds.0', 'bad_value'],
      [{ priority: 'whenever' }, 'priority', 'bad_value'],
      [{ recurrence: 'weekly' }, 'recurrence', 'recurrence_needs_due'],
      [{ recurrence: 'FREQ=MINUTELY', dueDate: '2026-02-10' }, 'recurrence', 'recurrence_too_often'],
      [{ recurrence: 'every tuesday', dueDate: '2026-02-10' }, 'recurrence', 'bad_recurrence'],
    ];
    for (const [over, path, code] of bad) await expect(makeTask(app, c.anne.actor, c.g.slug, over), JSON.stringify(over)).rejects.toMatchObject({ kind: 'invalid', issues: [{ path, code }] });
    const other = await makeGroup(app, { visibility: 'closed', createdBy: c.admin.id });
    await addMember(app, other.id, c.anne.id);
    const anne = await actorOf(app, c.anne.id);
    const foreign = (await columnsOf(app, anne, other.slug))[0].id;
    await expect(makeTask(app, anne, c.g.slug, { columnId: foreign })).rejects.toMatchObject({ issues: [{ path: 'columnId', code: 'column_unknown' }] });
    expect(await app.db.selectFrom('tasks').select('id').execute()).toEqual(before);
  });

  it('reading and writing follow the group: hidden is not found, readable but not a member is forbidden', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug);
    for (const who of [c.outsider.actor, visitor]) {
      await expect(app.tasks.get(who, { taskId: t })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.tasks.board(who, { groupSlug: c.g.slug })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.tasks.edit(who, { taskId: t, version: 1, title: 'x' })).rejects.toMatchObject({ kind: who === visitor ? 'unauthenticated' : 'not_found' });
      await expect(app.tasks.take(c.outsider.actor, { taskId: t })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.tasks.comment(who, { taskId: t, body: 'hi' })).rejects.toMatchObject({ kind: 'not_found' });
    }
    const open = await makeGroup(app, { visibility: 'open', createdBy: c.admin.id });
    await addMember(app, open.id, c.anne.id);
    const anne = await actorOf(app, c.anne.id);
    const pub = await makeTask(app, anne, open.slug);
    expect((await app.tasks.get(c.outsider.actor, { taskId: pub })).id).toBe(pub);
    await expect(app.tasks.edit(c.outsider.actor, { taskId: pub, version: 1, title: 'x' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.tasks.take(c.outsider.actor, { taskId: pub })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(makeTask(app, c.outsider.actor, open.slug)).rejects.toMatchObject({ kind: 'forbidden' });
    // Deleting: the author or a group admin.
    await expect(app.tasks.remove(c.bert.actor, { taskId: t })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.tasks.remove(c.admin.actor, { taskId: t });
    await expect(app.tasks.get(c.anne.actor, { taskId: t })).rejects.toMatchObject({ kind: 'not_found', code: 'task_deleted' });
    expect((await app.discussions.search(c.anne.actor, { q: 'stand' })).hits.map((h) => h.id)).toEqual([pub]);
  });

  it('an edit based on an older version is refused with nothing written; editing a task deleted meanwhile says so', async () => {
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Flyers' });
    const saved = await app.tasks.edit(c.anne.actor, { taskId: t, version: 1, title: 'Flyers A5', priority: 'urgent', dueDate: '2026-02-01' });
    expect(saved).toMatchObject({ version: 2, changed: ['title', 'priority', 'due'] });
    // Bert still had version 1 in front of him: his change would silently erase Anne's.
    await expect(app.tasks.edit(c.bert.actor, { taskId: t, version: 1, title: 'Flyers A4' })).rejects.toMatchObject({ kind: 'conflict', code: 'task_changed' });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).title).toBe('Flyers A5');
    // Saving what is already there changes nothing (no new version, no history).
    expect(await app.tasks.edit(c.bert.actor, { taskId: t, version: 2, title: 'Flyers A5' })).toMatchObject({ version: 2, changed: [] });
    // Two edits at once on the same version: exactly one passes.
    const both = await Promise.allSettled([app.tasks.edit(c.anne.actor, { taskId: t, version: 2, title: 'One' }), app.tasks.edit(c.bert.actor, { taskId: t, version: 2, title: 'Two' })]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(both.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['task_changed']);
    await app.tasks.remove(c.anne.actor, { taskId: t });
    await expect(app.tasks.edit(c.bert.actor, { taskId: t, version: 3, title: 'Late' })).rejects.toMatchObject({ kind: 'conflict', code: 'task_deleted' });
    await expect(app.tasks.comment(c.bert.actor, { taskId: t, body: 'Late' })).rejects.toMatchObject({ code: 'task_deleted' });
  });

  it('assignees must be members; "I’ll take it" works once, the second member is told it was taken', async () => {
    const t = await makeTask(app, c.admin.actor, c.g.slug);
    await expect(app.tasks.edit(c.admin.actor, { taskId: t, version: 1, assigneeIds: [c.anne.id, c.outsider.id] })).rejects.toMatchObject({ issues: [{ path: 'assigneeIds', code: 'assignee_not_member' }] });
    const race = await Promise.allSettled([app.tasks.take(c.anne.actor, { taskId: t }), app.tasks.take(c.bert.actor, { taskId: t })]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((race.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict', code: 'task_taken' });
    const view = await app.tasks.get(c.admin.actor, { taskId: t });
    expect(view.assignees).toHaveLength(1);
    expect(view.version).toBe(2);
    // Taking one's own task again changes nothing.
    const owner = view.assignees[0].id === c.anne.id ? c.anne : c.bert;
    expect(await app.tasks.take(owner.actor, { taskId: t })).toEqual({ id: t, version: 2 });
    const history = await app.tasks.activity(c.admin.actor, { taskId: t });
    expect(history.activity.map((a) => a.kind)).toContain('taken');
  });

  it('labels belong to a group and are managed by its members', async () => {
    const urgentish = await app.tasks.addLabel(c.bert.actor, { groupSlug: c.g.slug, name: 'Marché', color: 'green' });
    await expect(app.tasks.addLabel(c.anne.actor, { groupSlug: c.g.slug, name: 'marché' })).rejects.toMatchObject({ kind: 'conflict', code: 'label_exists' });
    await expect(app.tasks.addLabel(c.outsider.actor, { groupSlug: c.g.slug, name: 'X' })).rejects.toMatchObject({ kind: 'not_found' });
    const t = await makeTask(app, c.anne.actor, c.g.slug, { labelIds: [urgentish.id] });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).labels).toEqual([{ id: urgentish.id, name: 'Marché', color: 'green' }]);
    const other = await makeGroup(app, { visibility: 'open', createdBy: c.admin.id });
    await addMember(app, other.id, c.anne.id);
    const elsewhere = await app.tasks.addLabel(await actorOf(app, c.anne.id), { groupSlug: other.slug, name: 'Ailleurs' });
    await expect(app.tasks.edit(c.anne.actor, { taskId: t, version: 1, labelIds: [elsewhere.id] })).rejects.toMatchObject({ issues: [{ path: 'labelIds', code: 'label_unknown' }] });
    await app.tasks.removeLabel(c.anne.actor, { groupSlug: c.g.slug, labelId: urgentish.id });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).labels).toEqual([]);
  });

  it('a task made from a comment links back to it, and the discussion shows it as a chip; only what the actor may read', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Marché de Noël', body: 'Qui tient le stand ?' });
    const r = await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'Il faut aussi des guirlandes.' });
    const form = await app.tasks.newTaskForm(c.anne.actor, { groupSlug: c.g.slug, from: `comment:${r.id}` });
    expect(form.prefill?.title).toBe('Il faut aussi des guirlandes.');
    expect(form.prefill?.description).toContain(`/d/${d.id}?comment=${r.id}#c-${r.id}`);
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: form.prefill!.title, from: `comment:${r.id}` });
    expect((await app.tasks.get(c.anne.actor, { taskId: t })).origin).toEqual({ kind: 'comment', id: r.id, url: `/d/${d.id}?comment=${r.id}#c-${r.id}` });
    const chips = await app.tasks.chips(c.bert.actor, { originIds: [d.id, r.id] });
    expect(chips[r.id].map((x) => [x.id, x.done, x.column.preset])).toEqual([[t, false, 'todo']]);
    expect(chips[d.id].map((x) => x.id)).toEqual([t]);
    expect(await app.tasks.chips(c.outsider.actor, { originIds: [d.id, r.id] })).toEqual({});
    // An origin of another group, or one the actor cannot read, is not found.
    const other = await makeGroup(app, { visibility: 'closed', createdBy: c.admin.id });
    await addMember(app, other.id, c.anne.id);
    await expect(makeTask(app, await actorOf(app, c.anne.id), other.slug, { from: `comment:${r.id}` })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a task made from a chat message links back to the message', async () => {
    const room = await app.chat.groupChat(c.anne.actor, { slug: c.g.slug });
    const sent = await app.chat.send(c.bert.actor, { roomId: room.room.id, key: 'k-task-0001', body: 'Quelqu’un peut appeler le traiteur ?' });
    const t = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Appeler le traiteur', from: `chat:${sent.message.id}` });
    const view = await app.tasks.get(c.anne.actor, { taskId: t });
    expect(view.origin?.kind).toBe('chat');
    expect(view.origin?.url).toContain(`#m-${sent.message.id}`);
    expect((await app.tasks.chips(c.bert.actor, { originIds: [sent.message.id] }))[sent.message.id]).toHaveLength(1);
  });

  it('a task, a comment or checklist lines sent twice with the same key are created once; text is normalised and blank names refused', async () => {
    const made = await app.tasks.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Cafe\u0301 des bénévoles', key: 'task-key-0001' });
    expect(await app.tasks.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Cafe\u0301 des bénévoles', key: 'task-key-0001' })).toEqual(made);
    expect((await app.tasks.get(c.anne.actor, { taskId: made.id })).title).toBe('Café des bénévoles');
    expect(await app.db.selectFrom('tasks').select('id').where('groupId', '=', c.g.id).execute()).toHaveLength(1);
    const said = await app.tasks.comment(c.bert.actor, { taskId: made.id, body: 'Je m’en charge', key: 'comment-key-01' });
    expect(await app.tasks.comment(c.bert.actor, { taskId: made.id, body: 'Je m’en charge', key: 'comment-key-01' })).toEqual(said);
    const lines = await app.tasks.addChecklist(c.bert.actor, { taskId: made.id, text: 'Tasses\n\u200b\nSucre', key: 'lines-key-0001' });
    expect(await app.tasks.addChecklist(c.bert.actor, { taskId: made.id, text: 'Tasses\n\u200b\nSucre', key: 'lines-key-0001' })).toEqual(lines);
    const t = await app.tasks.get(c.anne.actor, { taskId: made.id });
    expect([t.commentCount, t.checklistItems.map((i) => i.text)]).toEqual([1, ['Tasses', 'Sucre']]);
    // The same key for another use case is refused; another member's key is theirs alone.
    await expect(app.tasks.comment(c.bert.actor, { taskId: made.id, body: 'Encore', key: 'lines-key-0001' })).rejects.toMatchObject({ kind: 'invalid' });
    expect((await app.tasks.create(c.bert.actor, { groupSlug: c.g.slug, title: 'Autre', key: 'task-key-0001' })).id).not.toBe(made.id);
    // Names that would show nothing.
    await expect(app.tasks.addLabel(c.anne.actor, { groupSlug: c.g.slug, name: '\u200b\u200b' })).rejects.toMatchObject({ issues: [{ path: 'name', code: 'blank' }] });
    await expect(app.tasks.addColumn(c.admin.actor, { groupSlug: c.g.slug, name: ' \u2060 ' })).rejects.toMatchObject({ issues: [{ path: 'name', code: expect.stringMatching(/blank|required/) }] });
    await expect(app.tasks.addChecklist(c.anne.actor, { taskId: made.id, text: '\u200b' })).rejects.toMatchObject({ issues: [{ path: 'text', code: 'required' }] });
  });

  /**
   * A device outbox repeats a task change whose answer was lost, under the same idempotency key:
   * the repeat answers as the first try did and changes nothing, even when the task changed in
   * between (a late repeat must not undo what others did since).
   */
  describe('changes repeated with their key', () => {
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
});
