import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../tests/support/app';
import { loadDemo } from './demo';

describe.each(engines)('demo tasks on %s', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
  });
  afterEach(() => app.cleanup());

  it('loads boards with tasks in French and Dutch: assigned, overdue, recurring, in progress and done', async () => {
    const lines: string[] = [];
    await loadDemo(app, (l) => lines.push(l));
    expect(lines.some((l) => /tasks on \d boards/.test(l))).toBe(true);
    const tasks = await app.db.selectFrom('tasks').selectAll().where('deletedAt', 'is', null).execute();
    expect(tasks.length).toBeGreaterThanOrEqual(12);
    expect(tasks.some((t) => t.title.startsWith('Lettre d’information de décembre'))).toBe(true);
    expect(tasks.some((t) => t.title.startsWith('Standdienst'))).toBe(true);
    expect(tasks.filter((t) => t.recurrence).length).toBeGreaterThanOrEqual(3);
    expect(tasks.filter((t) => t.completedAt).length).toBeGreaterThanOrEqual(1);
    expect(tasks.filter((t) => !t.completedAt && t.overdueAt && t.overdueAt < app.clock.now().toISOString()).length).toBeGreaterThanOrEqual(2);
    expect(await app.db.selectFrom('taskAssignees').select('taskId').execute()).not.toHaveLength(0);
    // Lucas sees his overdue authorisation first in his tasks.
    const lucas = await app.db.selectFrom('users').select('id').where('email', '=', 'lucas@demo.ruche.local').executeTakeFirstOrThrow();
    const mine = await app.tasks.mine(await app.sessions.actorFor(lucas.id as never), {});
    expect(mine.items[0].due?.overdue).toBe(true);
  });
});
