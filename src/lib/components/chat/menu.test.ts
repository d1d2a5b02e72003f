import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { addMember, chatGroup, chatUser, key } from '../../../../tests/support/chat-factories';
import { mayFor, menuHref } from './menu';

describe('the link of a message’s button without JavaScript', () => {
  it('opens that message’s menu on this page, keeping its window of messages, and scrolls to the message', () => {
    expect(menuHref(new URL('http://x/groups/a/chat'), 'M1', 'M1')).toBe('?actions=M1#m-M1');
    expect(menuHref(new URL('http://x/groups/a/chat?before=40&reply=Z'), 'M1', 'M1')).toBe('?before=40&actions=M1#m-M1');
  });
  it('closes it again (no menu), back to the page without the parameter', () => {
    expect(menuHref(new URL('http://x/groups/a/chat?actions=M1'), null, 'M1')).toBe('/groups/a/chat#m-M1');
    expect(menuHref(new URL('http://x/messages/r?after=3&actions=M1'), null, 'M1')).toBe('?after=3#m-M1');
  });
});

describe.each(engines)('the menu in the browser shows what the server would (%s)', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  it('for the author, another member, a moderator and a reader who may not post, on each message', async () => {
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
        expect(mayFor(page.can, { id: who.id }, m), `${who.name} on “${m.body}”`).toEqual(server?.may ?? null);
        compared++;
      }
    }
    expect(compared).toBe(12);
  });
});
