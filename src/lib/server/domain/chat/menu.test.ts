import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { addMember, chatUser, chatGroup, key } from '../../../../../tests/support/chat-factories';
import { messageAbilities } from '../../../chat-abilities';

const visitor = { kind: 'visitor' } as const;

describe.each(engines)('a message menu opened by address (%s)', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  async function setup(visibility: 'open' | 'closed' = 'open') {
    const anne = await chatUser(app, { name: 'Anne' }); // group admin: moderates
    const bob = await chatUser(app, { name: 'Bob' });
    const carl = await chatUser(app, { name: 'Carl' }); // not a member
    const g = await chatGroup(app, [{ id: anne.id, role: 'admin' }, { id: bob.id }], { visibility });
    const roomId = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    const fromBob = (await app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Qui vient samedi ?' })).message;
    return { anne, bob, carl, g, roomId, fromBob };
  }

  it('gives the author edit and delete, another member only react and reply, a moderator delete', async () => {
    const { anne, bob, g, roomId, fromBob } = await setup();
    const own = await app.chat.messageMenu(await bob.actor(), { roomId, messageId: fromBob.id });
    expect(own?.message.id).toBe(fromBob.id);
    expect(own?.may).toEqual({ react: true, reply: true, edit: true, delete: true, makeDiscussion: true });
    const other = await chatUser(app, { name: 'Dora' });
    await addMember(app, g.id, other.id);
    expect((await app.chat.messageMenu(await other.actor(), { roomId, messageId: fromBob.id }))?.may).toMatchObject({ react: true, reply: true, edit: false, delete: false });
    expect((await app.chat.messageMenu(await anne.actor(), { roomId, messageId: fromBob.id }))?.may).toMatchObject({ edit: false, delete: true });
  });

  it('gives nothing to a reader who may not post, for a deleted message, a message of another room or a malformed id', async () => {
    const { carl, bob, roomId, fromBob } = await setup('open');
    // An open group's chat is readable by anyone: a non-member reads it but has no menu.
    expect(await app.chat.messageMenu(await carl.actor(), { roomId, messageId: fromBob.id })).toBeNull();
    expect(await app.chat.messageMenu(visitor, { roomId, messageId: fromBob.id })).toBeNull();
    const elsewhere = await setup('open');
    expect(await app.chat.messageMenu(await bob.actor(), { roomId, messageId: elsewhere.fromBob.id })).toBeNull();
    expect(await app.chat.messageMenu(await bob.actor(), { roomId, messageId: 'not-an-id' })).toBeNull();
    await app.chat.remove(await bob.actor(), { messageId: fromBob.id });
    expect(await app.chat.messageMenu(await bob.actor(), { roomId, messageId: fromBob.id })).toBeNull();
  });

  it('reports a room the actor may not read as not found', async () => {
    const { carl, roomId, fromBob } = await setup('closed');
    await expect(app.chat.messageMenu(await carl.actor(), { roomId, messageId: fromBob.id })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('the room page’s abilities give each message the menu it has by address (author, member, moderator, reader who may not post)', async () => {
    const admin = await chatUser(app, { name: 'Ada' });
    const anne = await chatUser(app, { name: 'Anne' });
    const bob = await chatUser(app, { name: 'Bob' });
    const carl = await chatUser(app, { name: 'Carl' }); // reads the open group, not a member
    const g = await chatGroup(app, [{ id: admin.id, role: 'admin' }, { id: anne.id }], { visibility: 'open' });
    await addMember(app, g.id, bob.id);
    const roomId = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    const messages = [
      (await app.chat.send(await anne.actor(), { roomId, key: key(), body: 'De Anne' })).message,
      (await app.chat.send(await bob.actor(), { roomId, key: key(), body: 'De Bob' })).message,
      (await app.chat.send(await admin.actor(), { roomId, key: key(), body: 'De Ada' })).message,
    ];
    await app.chat.remove(await bob.actor(), { messageId: messages[1]!.id });
    let compared = 0;
    for (const who of [admin, anne, bob, carl]) {
      const actor = await who.actor();
      const page = await app.chat.groupChat(actor, { slug: g.slug });
      for (const m of page.messages) {
        const server = await app.chat.messageMenu(actor, { roomId, messageId: m.id });
        expect(messageAbilities(page.can, { id: who.id }, m), `${who.name} on “${m.body}”`).toEqual(server?.may ?? null);
        compared++;
      }
    }
    expect(compared).toBe(12);
  });
});
