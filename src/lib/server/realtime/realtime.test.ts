import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { chatGroup, chatUser, key, removeMember, sessionFor, wsClient, type WsClient } from '../../../../tests/support/chat-factories';
import { attachRealtime, type RealtimeServer } from './ws-server';
import { hashSecret, newId } from '../kernel/ids';
import { recordEvent } from '../kernel/outbox';
import { ClientFrame } from './protocol';

describe('protocol frames', () => {
  it.each([
    [{ type: 'send', room: 'r', key: 'k', body: 'x' }, true],
    [{ type: 'resume', rooms: { r: 3 } }, true],
    [{ type: 'resume', rooms: { r: -1 } }, false],
    [{ type: 'react', id: 'm', emoji: 'hello' }, false],
    [{ type: 'react', id: 'm', emoji: '👍🏽' }, true],
    [{ type: 'shout' }, false],
    [{ type: 'send', room: 'r', key: 'k' }, false],
  ])('%j valid: %s', (f, ok) => {
    expect(ClientFrame.safeParse(f).success).toBe(ok);
  });
});

describe.each(engines)('WebSocket chat (%s)', (engine) => {
  let app: TestApp;
  let server: http.Server;
  let rt: RealtimeServer;
  let base: string;
  const clients: WsClient[] = [];
  const connect = async (cookie: string) => {
    const c = await wsClient(base, { cookie });
    clients.push(c);
    await c.next((f) => f.type === 'hello');
    return c;
  };

  beforeAll(async () => {
    app = await createTestApp(engine);
    server = http.createServer((_req, res) => res.end('pages are not served here'));
    rt = attachRealtime(server, app, { pollMs: 100, limits: { maxBufferedBytes: 256 * 1024, framesPerSecond: 20, burst: 40 } });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await rt?.close();
    await new Promise((r) => server?.close(r));
    await app?.cleanup();
  });

  async function room(visibility: 'open' | 'closed' | 'secret' = 'closed') {
    const anne = await chatUser(app, { name: 'Anne', locale: 'fr' });
    const bob = await chatUser(app, { name: 'Bob', locale: 'en' });
    const g = await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { visibility });
    const roomId = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    return { anne, bob, g, roomId, ca: await sessionFor(app, anne.id), cb: await sessionFor(app, bob.id) };
  }

  it('refuses a connection without a session, accepts a personal access token', async () => {
    await expect(wsClient(base, {})).rejects.toThrow(/401/);
    const u = await chatUser(app);
    const token = `ruche_${newId()}`;
    await app.db.insertInto('accessTokens').values({ id: newId(), userId: u.id, name: 't', tokenHash: hashSecret(token), createdAt: new Date().toISOString(), lastUsedAt: null, revokedAt: null }).execute();
    const c = await wsClient(base, { token });
    clients.push(c);
    expect((await c.next((f) => f.type === 'hello')).user.id).toBe(u.id);
  });

  it('acks a send after commit, fans it out, and answers a resend with the same message', async () => {
    const r = await room();
    const a = await connect(r.ca);
    const b = await connect(r.cb);
    a.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    b.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    await a.next((f) => f.type === 'subscribed');
    await b.next((f) => f.type === 'subscribed');
    const k = key();
    a.send({ type: 'send', room: r.roomId, key: k, body: 'Bonjour', ref: 's1' });
    const ack = await a.next((f) => f.type === 'ack' && f.ref === 's1');
    expect(ack).toMatchObject({ seq: 1, duplicate: false });
    // Committed before the ack: the row is there.
    expect(await app.db.selectFrom('chatMessages').select('id').where('id', '=', ack.id).executeTakeFirst()).toBeTruthy();
    const ev = await b.next((f) => f.type === 'event' && f.seq === 1);
    expect(ev.message).toMatchObject({ body: 'Bonjour', author: { name: 'Anne' } });
    a.send({ type: 'send', room: r.roomId, key: k, body: 'Bonjour', ref: 's2' });
    const ack2 = await a.next((f) => f.type === 'ack' && f.ref === 's2');
    expect(ack2).toMatchObject({ seq: 1, duplicate: true, id: ack.id });
    a.send({ type: 'ping', ref: 'p' });
    await a.next((f) => f.type === 'pong');
    await b.next((f) => f.type === 'event' && f.seq === 1);
    expect(b.events(r.roomId).map((f) => f.seq)).toEqual([1]);
    expect(a.events(r.roomId).map((f) => f.seq)).toEqual([1]);
  });

  it('replays missed events in order exactly once on reconnect, then goes live', async () => {
    const r = await room();
    const b1 = await connect(r.cb);
    b1.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    await b1.next((f) => f.type === 'subscribed');
    for (let i = 1; i <= 2; i++) await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: `m${i}` });
    await b1.next((f) => f.type === 'event' && f.seq === 2);
    b1.close();
    await b1.closed;
    for (let i = 3; i <= 6; i++) await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: `m${i}` });
    const b2 = await connect(r.cb);
    b2.send({ type: 'resume', rooms: { [r.roomId]: 2 } });
    await b2.next((f) => f.type === 'subscribed');
    await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: 'm7' });
    await b2.next((f) => f.type === 'event' && f.seq === 7);
    expect(b2.events(r.roomId).map((f) => [f.seq, f.message.body])).toEqual([[3, 'm3'], [4, 'm4'], [5, 'm5'], [6, 'm6'], [7, 'm7']]);
  });

  it('fills a gap when frames are published out of order, without duplicates', async () => {
    const r = await room();
    const b = await connect(r.cb);
    b.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    await b.next((f) => f.type === 'subscribed');
    const hub = app.realtime.hub;
    const held: [string, number, string][] = [];
    const orig = hub.publishEvent.bind(hub);
    hub.publishEvent = (room, seq, frame) => void held.push([room, seq, frame]);
    try {
      for (let i = 1; i <= 3; i++) await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: `x${i}` });
    } finally {
      hub.publishEvent = orig;
    }
    orig(...held[2]); // seq 3 first: a gap, filled from the stored events
    await b.next((f) => f.type === 'event' && f.seq === 3);
    orig(...held[0]);
    orig(...held[1]);
    await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: 'x4' });
    await b.next((f) => f.type === 'event' && f.seq === 4);
    expect(b.events(r.roomId).map((f) => f.seq)).toEqual([1, 2, 3, 4]);
  });

  it('answers bad input with error frames in the member language, and the connection lives on', async () => {
    const r = await room();
    const other = await room('secret');
    const a = await connect(r.ca); // Anne reads French
    a.sendRaw('{not json');
    expect(await a.next((f) => f.type === 'error' && f.code === 'bad_frame')).toMatchObject({ message: expect.stringMatching(/Rechargez/) });
    a.send({ type: 'resume', rooms: { [newId()]: 0 }, ref: 'u' });
    await a.next((f) => f.type === 'error' && f.code === 'unknown_room' && f.ref === 'u');
    a.send({ type: 'resume', rooms: { [other.roomId]: 0 }, ref: 'hidden' });
    await a.next((f) => f.type === 'error' && f.code === 'unknown_room' && f.ref === 'hidden');
    a.send({ type: 'send', room: r.roomId, key: key(), body: 'x'.repeat(10_001), ref: 'long' });
    expect(await a.next((f) => f.ref === 'long')).toMatchObject({ type: 'error', code: 'message_too_long', message: expect.stringMatching(/10000/) });
    a.send({ type: 'send', room: r.roomId, key: key(), body: 'y'.repeat(70_000), ref: 'huge' });
    await a.next((f) => f.type === 'error' && f.code === 'frame_too_big');
    a.send({ type: 'send', room: other.roomId, key: key(), body: 'hi', ref: 'nope' });
    await a.next((f) => f.type === 'error' && f.ref === 'nope' && f.code === 'not_found');
    for (let i = 0; i < 60; i++) a.send({ type: 'ping', ref: `f${i}` });
    await a.next((f) => f.type === 'error' && f.code === 'rate_limited_frames');
    await new Promise((res) => setTimeout(res, 300));
    a.send({ type: 'ping', ref: 'alive' });
    await a.next((f) => f.type === 'pong' && f.ref === 'alive');
    expect(a.ws.readyState).toBe(1);
  });

  it('closes a slow consumer with 4008 while others keep receiving', async () => {
    const r = await room();
    const slow = await connect(r.cb);
    const fast = await connect(r.ca);
    for (const c of [slow, fast]) c.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    await slow.next((f) => f.type === 'subscribed');
    await fast.next((f) => f.type === 'subscribed');
    const sock = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    sock.pause();
    const body = 'z'.repeat(9000);
    let last = 0;
    // Until the server gives up on the paused client (its send buffer passes the limit).
    for (let i = 0; i < 1500 && app.realtime.hub.listenerCount(r.roomId) === 2; i++) {
      last = (await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body })).seq;
      if (i % 20 === 0) await fast.next((f) => f.type === 'event' && f.seq === last, 10000);
    }
    expect(app.realtime.hub.listenerCount(r.roomId)).toBe(1);
    sock.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(4008);
    expect(closed.reason).toMatch(/slow consumer/);
    await fast.next((f) => f.type === 'event' && f.seq === last, 10000);
    expect(fast.events(r.roomId)).toHaveLength(last);
    expect(fast.ws.readyState).toBe(1);
  });

  it('shares presence and typing, and stops delivering to a member removed from the group', async () => {
    const r = await room();
    const a = await connect(r.ca);
    const b = await connect(r.cb);
    a.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    await a.next((f) => f.type === 'subscribed');
    b.send({ type: 'resume', rooms: { [r.roomId]: 0 } });
    await a.next((f) => f.type === 'presence' && f.users.length === 2);
    b.send({ type: 'typing', room: r.roomId });
    expect(await a.next((f) => f.type === 'typing')).toMatchObject({ user: { name: 'Bob' } });
    await removeMember(app, r.g.id, r.bob.id);
    await recordEvent(app.db, { type: 'member.removed', groupId: r.g.id, data: { userId: r.bob.id } }, new Date());
    await b.next((f) => f.type === 'unsubscribed' && f.room === r.roomId);
    await a.next((f) => f.type === 'presence' && f.users.length === 1);
    await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: 'secret now' });
    await a.next((f) => f.type === 'event' && f.message.body === 'secret now');
    await new Promise((res) => setTimeout(res, 100));
    expect(b.events(r.roomId).some((f) => f.message.body === 'secret now')).toBe(false);
  });

  it('sends discussion notices only to those who may read the group, and stops when they may not', async () => {
    const r = await room('closed');
    const carl = await chatUser(app, { name: 'Carl', locale: 'nl' });
    const c = await connect(await sessionFor(app, carl.id));
    const b = await connect(r.cb);
    // A non-member of a closed group gets an error frame and no notices.
    c.send({ type: 'watch', groups: [r.g.id], ref: 'w' });
    expect(await c.next((f) => f.type === 'error' && f.ref === 'w')).toMatchObject({ code: 'unknown_group', message: expect.stringContaining('groep') });
    expect(await c.next((f) => f.type === 'watching' && f.ref === 'w')).toMatchObject({ groups: [] });
    b.send({ type: 'watch', groups: [r.g.id, 'no-such-group'], ref: 'w' });
    expect(await b.next((f) => f.type === 'watching' && f.ref === 'w')).toMatchObject({ groups: [r.g.id] });
    const d = await app.discussions.create(await r.anne.actor(), { groupSlug: r.g.slug, title: 'Stand on Saturday', body: 'Who comes?' });
    expect(await b.next((f) => f.type === 'notice' && f.kind === 'discussion.started')).toEqual({ type: 'notice', group: r.g.id, kind: 'discussion.started', discussionId: d.id, room: null, ids: { discussionId: d.id } });
    await app.discussions.reply(await r.anne.actor(), { discussionId: d.id, body: 'Me' });
    await b.next((f) => f.type === 'notice' && f.kind === 'comment.posted' && f.discussionId === d.id);
    await new Promise((res) => setTimeout(res, 250));
    expect(c.frames.some((f) => f.type === 'notice')).toBe(false);
    // Removed from the group: told so, and hears nothing more.
    await removeMember(app, r.g.id, r.bob.id);
    await recordEvent(app.db, { type: 'member.removed', groupId: r.g.id, data: { userId: r.bob.id } }, new Date());
    await b.next((f) => f.type === 'unwatched' && f.group === r.g.id);
    const before = b.frames.filter((f) => f.type === 'notice').length;
    await app.discussions.reply(await r.anne.actor(), { discussionId: d.id, body: 'Still here' });
    await new Promise((res) => setTimeout(res, 300));
    expect(b.frames.filter((f) => f.type === 'notice').length).toBe(before);
  });
  it('tells members that a chat has a new message (unread counts), never the author nor outsiders', async () => {
    const r = await room('closed');
    const carl = await chatUser(app, { name: 'Carl', locale: 'nl' });
    const a = await connect(r.ca);
    const b = await connect(r.cb);
    const c = await connect(await sessionFor(app, carl.id));
    for (const x of [a, b]) {
      x.send({ type: 'watch', groups: [r.g.id], ref: 'w' });
      await x.next((f) => f.type === 'watching' && f.ref === 'w');
    }
    // A group's chat: to those who watch the group, without subscribing to the room.
    await app.chat.send(await r.anne.actor(), { roomId: r.roomId, key: key(), body: 'Stand at 9?' });
    expect(await b.next((f) => f.type === 'notice' && f.kind === 'chat.message_posted')).toMatchObject({ type: 'notice', group: r.g.id, kind: 'chat.message_posted', room: r.roomId, discussionId: null });
    // A direct conversation: to the participants' connections, whatever they watch.
    const dm = await app.chat.openDirect(await r.anne.actor(), { people: carl.id });
    await app.chat.send(await r.anne.actor(), { roomId: dm.roomId, key: key(), body: 'psst' });
    expect(await c.next((f) => f.type === 'notice' && f.room === dm.roomId)).toEqual({ type: 'notice', group: null, kind: 'chat.message_posted', room: dm.roomId, discussionId: null });
    await new Promise((res) => setTimeout(res, 300));
    expect(a.frames.some((f) => f.type === 'notice' && f.kind === 'chat.message_posted')).toBe(false);
    expect(b.frames.some((f) => f.type === 'notice' && f.room === dm.roomId)).toBe(false);
    expect(c.frames.some((f) => f.type === 'notice' && f.room === r.roomId)).toBe(false);
  });
});
