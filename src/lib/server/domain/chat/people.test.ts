import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { addMember, chatGroup, chatUser, key, removeMember } from '../../../../../tests/support/chat-factories';

describe.each(engines)('people and unread chats (%s)', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  async function people() {
    const tag = Math.random().toString(36).slice(2, 7);
    const me = await chatUser(app, { name: `Camille ${tag}` });
    const fatima = await chatUser(app, { name: `Fatima El Amrani ${tag}`, handle: `fatima_${tag}` });
    const ines = await chatUser(app, { name: `Inès Moreau ${tag}`, handle: `ines_moreau_${tag}` });
    const marie1 = await chatUser(app, { name: `Marie Dupont ${tag}` });
    const marie2 = await chatUser(app, { name: `Marie Lambert ${tag}` });
    // They share a (closed) group: their membership is something each may see.
    await chatGroup(app, [me, fatima, ines, marie1, marie2].map((u) => ({ id: u.id })), { visibility: 'closed' });
    return { tag, me, fatima, ines, marie1, marie2 };
  }

  it('finds people by part of their name or handle, ignoring case and accents, never oneself', async () => {
    const { tag, me, fatima, ines } = await people();
    const actor = await me.actor();
    expect((await app.chat.findPeople(actor, { q: `fatima el amrani ${tag}` })).map((p) => p.id)).toEqual([fatima.id]);
    expect((await app.chat.findPeople(actor, { q: `EL AMRANI ${tag}` })).map((p) => p.id)).toEqual([fatima.id]);
    // Typed without the accent: found through the handle, which has none.
    expect((await app.chat.findPeople(actor, { q: `ines_moreau_${tag}` })).map((p) => p.id)).toEqual([ines.id]);
    expect((await app.chat.findPeople(actor, { q: `Ines Moreau ${tag}` })).map((p) => p.id)).toEqual([ines.id]);
    expect((await app.chat.findPeople(actor, { q: `@fatima_${tag}` })).map((p) => p.id)).toEqual([fatima.id]);
    expect(await app.chat.findPeople(actor, { q: `Camille ${tag}` })).toEqual([]);
    // Someone who only belongs to a secret group the actor is not in stays unknown.
    const hidden = await chatUser(app, { name: `Fatima Secrète ${tag}` });
    const other = await chatUser(app, { name: `Other ${tag}` });
    await chatGroup(app, [{ id: other.id }, { id: hidden.id }], { visibility: 'secret' });
    expect((await app.chat.findPeople(actor, { q: `Fatima` })).map((p) => p.id)).not.toContain(hidden.id);
    // LIKE wildcards are plain characters.
    expect(await app.chat.findPeople(actor, { q: '%' })).toEqual([]);
    await expect(app.chat.findPeople({ kind: 'visitor' }, { q: 'fatima' })).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('starts a conversation from names typed in the form, asks to choose when a name fits several people', async () => {
    const { tag, me, fatima, ines, marie1, marie2 } = await people();
    const actor = await me.actor();
    const one = await app.chat.startDirect(actor, { who: `Fatima El Amrani ${tag}` });
    expect(one).toMatchObject({ created: true });
    // The same person by handle, or picked in the list, finds the same conversation.
    expect(await app.chat.startDirect(actor, { who: `@fatima_${tag}` })).toEqual({ roomId: (one as { roomId: string }).roomId, created: false });
    expect(await app.chat.startDirect(actor, { people: fatima.id })).toEqual({ roomId: (one as { roomId: string }).roomId, created: false });
    // Several names, separated by commas.
    const two = await app.chat.startDirect(actor, { who: `Fatima El Amrani ${tag}, ines_moreau_${tag}`, title: 'Stand' });
    const page = await app.chat.roomPage(actor, { roomId: (two as { roomId: string }).roomId });
    expect(page.room.people.map((p) => p.id).sort()).toEqual([me.id, fatima.id, ines.id].sort());
    expect(page.room.title).toBe('Stand');
    // "Marie" fits two people: nothing is opened, both are offered, the settled ones are kept.
    const choice = await app.chat.startDirect(actor, { who: `Marie, Fatima El Amrani ${tag}` });
    expect(choice).toMatchObject({ choose: [{ term: 'Marie' }], chosen: [{ id: fatima.id }] });
    const offered = (choice as { choose: { matches: { id: string }[] }[] }).choose[0].matches.map((m) => m.id);
    expect(offered).toEqual(expect.arrayContaining([marie1.id, marie2.id]));
    // Nobody by that name: the error quotes the name, in the member's language.
    const none = app.chat.startDirect(actor, { who: `Zorglub ${tag}` });
    await expect(none).rejects.toMatchObject({ code: 'nobody_named', params: { name: `Zorglub ${tag}` }, issues: [{ path: 'who' }] });
    await expect(app.chat.startDirect(actor, { who: '  ' })).rejects.toMatchObject({ issues: [{ path: 'who', code: 'required' }] });
    await expect(app.chat.startDirect(actor, { people: '0190f0f0-0000-7000-8000-000000000000' })).rejects.toMatchObject({ issues: [{ path: 'people', code: 'unknown_person' }] });
  });

  it('lists every chat with unread messages, group chats and direct conversations, with their total', async () => {
    const anne = await chatUser(app, { name: 'Anne' });
    const bob = await chatUser(app, { name: 'Bob' });
    const g = await chatGroup(app, [{ id: anne.id }], { name: 'Marchés' });
    const room = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    await app.chat.send(await anne.actor(), { roomId: room, key: key(), body: 'before Bob joined' });
    app.clock.advance(1000);
    await addMember(app, g.id, bob.id);
    app.clock.advance(1000);
    // What was said before Bob joined is read for him: nothing unread yet.
    expect(await app.chat.unreadChats(await bob.actor())).toMatchObject({ total: 0, chats: [], groupIds: [g.id] });
    expect(await app.chat.groupUnread(await bob.actor(), { slug: g.slug })).toBe(0);
    await app.chat.send(await anne.actor(), { roomId: room, key: key(), body: 'welcome Bob' });
    app.clock.advance(1000);
    const dm = await app.chat.openDirect(await anne.actor(), { people: bob.id });
    await app.chat.send(await anne.actor(), { roomId: dm.roomId, key: key(), body: 'psst' });
    await app.chat.send(await anne.actor(), { roomId: dm.roomId, key: key(), body: 'psst again' });
    const u = await app.chat.unreadChats(await bob.actor());
    expect(u.total).toBe(3);
    expect(u.chats).toEqual([
      { roomId: dm.roomId, kind: 'direct', title: 'Anne', url: `/messages/${dm.roomId}`, unread: 2, lastActivityAt: expect.any(String), group: null },
      { roomId: room, kind: 'group', title: 'Marchés', url: `/groups/${g.slug}/chat`, unread: 1, lastActivityAt: expect.any(String), group: { id: g.id, slug: g.slug, name: 'Marchés' } },
    ]);
    expect(await app.chat.groupUnread(await bob.actor(), { slug: g.slug })).toBe(1);
    // The sender has nothing unread; reading a chat takes it off the list.
    expect((await app.chat.unreadChats(await anne.actor())).total).toBe(0);
    const page = await app.chat.groupChat(await bob.actor(), { slug: g.slug });
    expect(page.unread).toBe(1);
    expect((await app.chat.unreadChats(await bob.actor())).chats.map((c) => c.kind)).toEqual(['direct']);
    expect(await app.chat.unreadChats({ kind: 'visitor' })).toEqual({ total: 0, chats: [], groupIds: [] });
  });

  it('the chat list: the group chats of my groups and my conversations, each with its last message of the main list', async () => {
    const anne = await chatUser(app, { name: 'Anne Peeters' });
    const bob = await chatUser(app, { name: 'Bob Martin' });
    const g = await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { visibility: 'closed', name: 'Potager' });
    const other = await chatGroup(app, [{ id: bob.id }], { visibility: 'closed', name: 'Finances' });
    const room = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    const first = await app.chat.send(await anne.actor(), { roomId: room, key: key(), body: 'Qui arrose   demain ?' });
    await app.chat.send(await bob.actor(), { roomId: room, key: key(), body: 'Moi, vers 8 h.' });
    // A reply inside a thread does not replace the room's last message.
    await app.chat.send(await bob.actor(), { roomId: room, key: key(), body: 'dans le fil', parentId: first.message.id });
    const secret = (await app.chat.groupChat(await bob.actor(), { slug: other.slug })).room.id;
    await app.chat.send(await bob.actor(), { roomId: secret, key: key(), body: 'Budget confidentiel' });
    const { roomId: direct } = await app.chat.openDirect(await bob.actor(), { handles: anne.handle });
    const said = await app.chat.send(await bob.actor(), { roomId: direct, key: key(), body: 'x'.repeat(200) });

    const groups = await app.chat.groupChatList(await anne.actor());
    expect(groups.map((c) => [c.roomId, c.last?.text, c.last?.authorName, c.unread])).toEqual([[room, 'Moi, vers 8 h.', 'Bob Martin', 2]]);
    const dms = (await app.chat.listDirect(await anne.actor())).conversations;
    expect(dms.map((c) => c.id)).toEqual([direct]);
    expect(dms[0].last).toMatchObject({ authorName: 'Bob Martin', deleted: false });
    expect(dms[0].last!.text).toHaveLength(90);
    expect(dms[0].last!.text.endsWith('…')).toBe(true);
    // A deleted last message says so, without its text.
    await app.chat.remove(await bob.actor(), { messageId: said.message.id });
    expect((await app.chat.listDirect(await anne.actor())).conversations[0].last).toMatchObject({ deleted: true, text: '' });
    // Leaving the group takes its chat off the list; visitors have none.
    await removeMember(app, g.id, anne.id);
    expect(await app.chat.groupChatList(await anne.actor())).toEqual([]);
    expect(await app.chat.groupChatList({ kind: 'visitor' })).toEqual([]);
  });
});
