import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { chatGroup, chatUser, key } from '../../../../../tests/support/chat-factories';

describe.each(engines)('chat replay after a cursor (%s)', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(async () => app?.cleanup());

  it('never serves a deleted message nor the text an edit replaced, and keeps every event in order', async () => {
    const anne = await chatUser(app, { name: 'Anne' });
    const bob = await chatUser(app, { name: 'Bob' });
    const g = await chatGroup(app, [{ id: anne.id, role: 'admin' }, { id: bob.id }], { visibility: 'closed' });
    const a = await anne.actor();
    const roomId = (await app.chat.groupChat(a, { slug: g.slug })).room.id;
    const kept = await app.chat.send(a, { roomId, key: key(), body: 'Ordre du jour' });
    const gone = await app.chat.send(a, { roomId, key: key(), body: 'Mon numéro privé 0470' });
    await app.chat.react(await bob.actor(), { messageId: gone.message.id, emoji: '👍' });
    await app.chat.remove(a, { messageId: gone.message.id });
    const typo = await app.chat.send(a, { roomId, key: key(), body: 'Rendez-vous à 18h chez Paul' });
    await app.chat.edit(a, { messageId: typo.message.id, body: 'Rendez-vous à 19h' });

    const { events } = await app.chat.eventsSince(await bob.actor(), { roomId, after: 0 });
    const frames = events.map((e) => JSON.parse(e.frame));
    expect(frames.map((f) => [f.seq, f.kind])).toEqual([
      [1, 'message.posted'],
      [2, 'message.posted'],
      [3, 'message.reacted'],
      [4, 'message.deleted'],
      [5, 'message.posted'],
      [6, 'message.edited'],
    ]);
    const all = events.map((e) => e.frame).join('\n');
    expect(all).not.toContain('0470');
    expect(all).not.toContain('18h');
    expect(frames[1].message).toMatchObject({ id: gone.message.id, body: '', html: '', files: [], reactions: {} });
    expect(frames[1].message.deletedAt).not.toBeNull();
    expect(frames[4].message).toMatchObject({ id: typo.message.id, body: 'Rendez-vous à 19h' });
    // What did not change is replayed byte for byte.
    expect(frames[0].message).toMatchObject({ id: kept.message.id, body: 'Ordre du jour' });
    expect(events[0].frame).toBe((await app.db.selectFrom('chatEvents').select('frame').where('roomId', '=', roomId).where('seq', '=', 1).executeTakeFirstOrThrow()).frame);
  });
});
