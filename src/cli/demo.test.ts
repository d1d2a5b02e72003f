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
    // Deciding and meeting: a date poll with answers (a guest's among them), a proposal open and one decided, events, past minutes.
    const polls = await app.db.selectFrom('polls').select(['kind', 'closedAt', 'id']).execute();
    expect(polls.map((p) => `${p.kind}${p.closedAt ? ' closed' : ''}`).sort()).toEqual(['choice', 'date', 'proposal', 'proposal closed']);
    const date = polls.find((p) => p.kind === 'date')!;
    expect((await app.db.selectFrom('pollParticipants').select(['userId']).where('pollId', '=', date.id).execute()).filter((p) => p.userId === null)).toHaveLength(1);
    const decisions = await app.db.selectFrom('decisions').select('kind').execute();
    expect(decisions.map((x) => x.kind).sort()).toEqual(['meeting', 'meeting', 'proposal']);
    const events = await app.db.selectFrom('calendarEvents').select(['title', 'isMeeting', 'startsAt']).orderBy('startsAt').execute();
    expect(events.map((e) => e.title)).toEqual(['Réunion de coordination', 'Stand Zinne au marché de Saint-Gilles', 'Réunion de coordination régionale']);
    expect(events[0].startsAt < app.clock.now().toISOString()).toBe(true);
    expect(await app.db.selectFrom('agendaItems').select('id').execute()).toHaveLength(6);
    expect(await app.db.selectFrom('actionItems').select('id').execute()).toHaveLength(2);
    // The group chats have their first messages, as the members wrote them.
    const rooms = await app.db.selectFrom('chatRooms').innerJoin('groups', 'groups.id', 'chatRooms.groupId').select(['groups.slug', 'chatRooms.messageCount']).where('chatRooms.messageCount', '>', 0).orderBy('groups.slug').execute();
    expect(rooms).toEqual([{ slug: 'communication', messageCount: 7 }, { slug: 'coordination', messageCount: 3 }, { slug: 'prestataires', messageCount: 5 }]);
    // A second time, everything clashes and the error says what.
    await expect(loadDemo(app, () => {})).rejects.toThrow(/these are taken: email amina@demo\.ruche\.local, .*group coordination, .*handle @camille_dubois/);
  });

  it('loads beside an association already set up, leaving its settings and administrators alone', async () => {
    const own = await app.instance.setup({ associationName: 'Entraide Forest', name: 'Rosa', email: 'rosa@example.org', password: 'a long password' });
    await app.groups.create(await app.sessions.actorFor(own.id), { name: 'Potager', visibility: 'open' });
    const lines: string[] = [];
    await loadDemo(app, (l) => lines.push(l));
    expect((await app.instance.get())?.name).toBe('Entraide Forest');
    const slugs = (await app.db.selectFrom('groups').select('slug').orderBy('slug').execute()).map((g) => g.slug);
    expect(slugs).toEqual(['communication', 'coordination', 'finances', 'marches', 'potager', 'prestataires']);
    // Demo accounts have a public password: none administers the association.
    const admins = await app.db.selectFrom('users').select('email').where('isAdmin', '=', 1).execute();
    expect(admins).toEqual([{ email: 'rosa@example.org' }]);
    expect(await app.db.selectFrom('users').select('handle').where('handle', '=', 'jean_marc_lambert').executeTakeFirst()).toBeTruthy();
    expect(lines.at(-1)).toMatch(/not of the association/);
  });

  it('refuses to load beside data that takes one of its slugs, and writes nothing', async () => {
    const own = await app.instance.setup({ associationName: 'Entraide Forest', name: 'Rosa', email: 'rosa@example.org', password: 'a long password' });
    await app.groups.create(await app.sessions.actorFor(own.id), { name: 'Marchés', visibility: 'open' });
    const users = async () => (await app.db.selectFrom('users').select('id').execute()).length;
    const before = await users();
    await expect(loadDemo(app, () => {})).rejects.toThrow(/these are taken: group marches\. Load it into an empty instance/);
    expect(await users()).toBe(before);
  });
});
