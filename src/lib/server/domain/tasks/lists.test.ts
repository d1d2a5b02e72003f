import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, addMember, makeCircle, makeGroup } from '../../../../../tests/support/discussions-factories';
import { columnsOf, makeTask } from '../../../../../tests/support/tasks-factories';
import { visitor } from '../../policy';

describe.each(engines)('task lists on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  const titles = async (q: Record<string, unknown>) => (await app.tasks.list(c.anne.actor, { groupSlug: c.g.slug, ...q })).items.map((i) => i.title);

  it('filters by assignee (me, nobody, someone), priority, label, due date and status, and sorts', async () => {
    const label = await app.tasks.addLabel(c.anne.actor, { groupSlug: c.g.slug, name: 'Marché' });
    // Now: Thursday 15 January 2026. This week: Monday 12 to Sunday 18.
    await makeTask(app, c.anne.actor, c.g.slug, { title: 'Overdue', dueDate: '2026-01-13', assigneeIds: [c.anne.id], priority: 'low' });
    await makeTask(app, c.anne.actor, c.g.slug, { title: 'Saturday', dueDate: '2026-01-17', assigneeIds: [c.bert.id], priority: 'urgent', labelIds: [label.id] });
    await makeTask(app, c.anne.actor, c.g.slug, { title: 'Next month', dueDate: '2026-02-20' });
    const done = await makeTask(app, c.anne.actor, c.g.slug, { title: 'Done already', priority: 'high' });
    await app.tasks.complete(c.anne.actor, { taskId: done });
    expect(await titles({})).toEqual(['Overdue', 'Saturday', 'Next month', 'Done already']);
    expect(await titles({ assignee: 'me' })).toEqual(['Overdue']);
    expect(await titles({ assignee: 'nobody' })).toEqual(['Next month', 'Done already']);
    expect(await titles({ assignee: c.bert.id })).toEqual(['Saturday']);
    expect(await titles({ priority: 'urgent' })).toEqual(['Saturday']);
    expect(await titles({ label: label.id })).toEqual(['Saturday']);
    expect(await titles({ due: 'overdue' })).toEqual(['Overdue']);
    expect(await titles({ due: 'week' })).toEqual(['Overdue', 'Saturday']);
    expect(await titles({ due: 'none' })).toEqual(['Done already']);
    expect(await titles({ status: 'open' })).toEqual(['Overdue', 'Saturday', 'Next month']);
    expect(await titles({ status: 'done' })).toEqual(['Done already']);
    const [, , doneColumn] = await columnsOf(app, c.anne.actor, c.g.slug);
    expect(await titles({ status: doneColumn.id })).toEqual(['Done already']);
    expect(await titles({ sort: 'priority' })).toEqual(['Saturday', 'Done already', 'Next month', 'Overdue']);
    expect(await titles({ sort: 'title' })).toEqual(['Done already', 'Next month', 'Overdue', 'Saturday']);
    expect(await titles({ assignee: 'nobody', priority: 'high' })).toEqual(['Done already']);
    // Unknown values are refused clearly.
    await expect(titles({ due: 'someday' })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('pages by keyset: every task exactly once, in order', async () => {
    for (let i = 0; i < 23; i++) await makeTask(app, c.anne.actor, c.g.slug, { title: `T${String(i).padStart(2, '0')}`, dueDate: `2026-03-${String((i % 9) + 1).padStart(2, '0')}` });
    for (const sort of ['due', 'title', 'created'] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof app.tasks.list>> = await app.tasks.list(c.anne.actor, { groupSlug: c.g.slug, sort, limit: 5, after });
        seen.push(...page.items.map((i) => i.id));
        after = page.next;
      } while (after);
      expect(new Set(seen).size).toBe(23);
      expect(seen).toEqual((await app.tasks.list(c.anne.actor, { groupSlug: c.g.slug, sort, limit: 100 })).items.map((i) => i.id));
    }
  });

  it('my tasks: across the groups I may still read, overdue first, then due date and priority; done only when asked', async () => {
    const other = await makeGroup(app, { visibility: 'closed', createdBy: c.admin.id });
    await addMember(app, other.id, c.anne.id);
    await addMember(app, other.id, c.bert.id);
    const anne = await actorOf(app, c.anne.id);
    const bert = await actorOf(app, c.bert.id);
    await makeTask(app, anne, c.g.slug, { title: 'Later', dueDate: '2026-02-01', assigneeIds: [c.bert.id] });
    await makeTask(app, anne, other.slug, { title: 'Late', dueDate: '2026-01-10', assigneeIds: [c.bert.id] });
    await makeTask(app, anne, c.g.slug, { title: 'Soon, urgent', dueDate: '2026-01-16', assigneeIds: [c.bert.id], priority: 'urgent' });
    await makeTask(app, anne, c.g.slug, { title: 'Soon, low', dueDate: '2026-01-16', assigneeIds: [c.bert.id], priority: 'low' });
    await makeTask(app, anne, c.g.slug, { title: 'Whenever', assigneeIds: [c.bert.id] });
    const withLine = await makeTask(app, anne, c.g.slug, { title: 'Checklist line', dueDate: '2026-01-20' });
    await app.tasks.addChecklist(anne, { taskId: withLine, text: 'Bert brings chairs', assigneeId: c.bert.id });
    const finished = await makeTask(app, anne, c.g.slug, { title: 'Finished', assigneeIds: [c.bert.id] });
    await app.tasks.complete(anne, { taskId: finished });
    await makeTask(app, anne, c.g.slug, { title: 'Not mine', assigneeIds: [c.anne.id] });
    const mine = await app.tasks.mine(bert, {});
    expect(mine.items.map((i) => i.title)).toEqual(['Late', 'Soon, urgent', 'Soon, low', 'Checklist line', 'Later', 'Whenever']);
    expect(mine.items.find((i) => i.title === 'Checklist line')?.viaChecklist).toBe(true);
    expect(mine.items[0]).toMatchObject({ group: { slug: other.slug }, due: { overdue: true } });
    expect((await app.tasks.mine(bert, { done: '1' })).items.map((i) => i.title)).toContain('Finished');
    // Bert leaves the other group: its task is no longer his to see.
    await app.groups.leave(bert, other.slug);
    expect((await app.tasks.mine(await actorOf(app, c.bert.id), {})).items.map((i) => i.title)).not.toContain('Late');
    await expect(app.tasks.mine(visitor, {})).rejects.toMatchObject({ kind: 'unauthenticated' });
  });
});
