import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../tests/support/app';
import { loadDemo } from './demo';

describe.each(engines)('demo on %s', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
  });
  afterEach(() => app.cleanup());

  it('loads groups, working groups, members and bilingual discussions through the services', async () => {
    const lines: string[] = [];
    await loadDemo(app, (l) => lines.push(l));
    const groups = await app.db.selectFrom('groups').select(['slug', 'visibility', 'parentId', 'memberCount', 'discussionCount']).orderBy('slug').execute();
    expect(groups.map((g) => g.slug)).toEqual(['communication', 'coordination', 'finances', 'marches', 'prestataires']);
    expect(groups.find((g) => g.slug === 'finances')).toMatchObject({ visibility: 'secret', memberCount: 2 });
    expect(groups.every((g) => g.discussionCount >= 1)).toBe(true);
    // Pieter (Coordination) has unread items there, counted on write.
    const pieter = await app.db.selectFrom('users').select('id').where('email', '=', 'pieter@demo.ruche.local').executeTakeFirstOrThrow();
    const m = await app.db.selectFrom('memberships').innerJoin('groups', 'groups.id', 'memberships.groupId').select('unreadCount').where('userId', '=', pieter.id).where('groups.slug', '=', 'coordination').executeTakeFirstOrThrow();
    expect(m.unreadCount).toBeGreaterThan(0);
    // A mention became a notification.
    expect(await app.db.selectFrom('notifications').select('id').where('reason', '=', 'mentioned').execute()).not.toHaveLength(0);
    await expect(loadDemo(app, () => {})).rejects.toThrow(/already set up/);
  });
});
