import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeGroup, makeUser } from '../../../../../tests/support/groups-factories';
import { visitor } from '../../policy';
import type { UserId } from '../../kernel/ids';

describe.each(engines)('first steps on home (%s)', (engine) => {
  let app: TestApp;
  afterEach(async () => {
    await app?.cleanup();
  });

  let adminId: UserId;
  async function setUp(env: Record<string, string> = {}) {
    app = await createTestApp(engine, env);
    adminId = (await app.instance.setup({ associationName: 'Zinne', name: 'Camille', email: 'camille@example.org', password: 'a long password' })).id;
    return app.sessions.actorFor(adminId);
  }

  it('shows the administrator a checklist ticked as each step is done, until it is put away', async () => {
    let admin = await setUp({ MAIL_DOMAIN: 'zinne.example.org' });
    const steps = async () => (await app.instance.firstSteps(admin)).checklist;
    expect(await steps()).toEqual({
      items: [
        { key: 'group', done: false },
        { key: 'invite', done: false },
        { key: 'mail', done: false },
      ],
      mail: { smtp: false, mailDomain: 'zinne.example.org', outbox: '/admin/outbox' },
    });
    const g = await makeGroup(app, admin, { name: 'Coordination', visibility: 'closed' });
    admin = await app.sessions.actorFor(adminId);
    expect((await steps())!.items.map((i) => i.done)).toEqual([true, false, false]);
    await app.groups.invitations.createLink(admin, g.slug, { days: 7 });
    expect((await steps())!.items.map((i) => i.done)).toEqual([true, true, false]);
    // Members see no checklist and may not put it away.
    const member = await makeUser(app);
    expect((await app.instance.firstSteps(await member.actor())).checklist).toBeNull();
    await expect(app.instance.dismissChecklist(await member.actor())).rejects.toMatchObject({ kind: 'not_found' });
    await app.instance.dismissChecklist(admin);
    expect(await steps()).toBeNull();
    expect(await app.instance.firstSteps(visitor)).toEqual({ checklist: null, suggestions: [] });
  });

  it('ticks mail once an SMTP server is configured', async () => {
    const admin = await setUp({ SMTP_URL: 'smtp://user:secret@mail.example.org:587' });
    expect((await app.instance.firstSteps(admin)).checklist).toMatchObject({ items: [{ key: 'group' }, { key: 'invite' }, { key: 'mail', done: true }], mail: { smtp: true } });
  });

  it('suggests groups to a member in none: open ones to join in one tap first, closed ones on request, never secret ones', async () => {
    const admin = await setUp();
    await makeGroup(app, admin, { name: 'Small open', visibility: 'open' });
    const big = await makeGroup(app, admin, { name: 'Big open', visibility: 'open' });
    await makeGroup(app, admin, { name: 'Closed', visibility: 'closed' });
    await makeGroup(app, admin, { name: 'Secret', visibility: 'secret' });
    await app.db.updateTable('groups').set({ memberCount: 10, description: 'We **meet** on [Tuesdays](https://example.org).' }).where('id', '=', big.id).execute();
    const newcomer = await makeUser(app);
    const { suggestions } = await app.instance.firstSteps(await newcomer.actor());
    expect(suggestions.map((s) => [s.name, s.joinable])).toEqual([
      ['Big open', true],
      ['Small open', true],
      ['Closed', false],
    ]);
    expect(suggestions[0].description).toBe('We meet on Tuesdays.');
    // Once in a group, home shows the groups instead.
    await app.groups.join(await newcomer.actor(), big.slug);
    expect((await app.instance.firstSteps(await newcomer.actor())).suggestions).toEqual([]);
  });
});
