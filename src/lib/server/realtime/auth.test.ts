import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { makeInstance } from '../../../../tests/support/accounts-factories';
import { chatGroup, chatUser, key, sessionFor, wsClient, type WsClient } from '../../../../tests/support/chat-factories';
import { attachRealtime, CLOSE_CREDENTIAL_ENDED, type RealtimeServer } from './ws-server';

/** The WebSocket upgrade honours what a personal access token allows, and ends with its credential. */
describe.each(engines)('WebSocket credentials (%s)', (engine) => {
  let app: TestApp;
  let server: http.Server;
  let rt: RealtimeServer;
  let base: string;
  const clients: WsClient[] = [];
  const open = async (auth: { cookie?: string; token?: string }) => {
    const c = await wsClient(base, auth);
    clients.push(c);
    await c.next((f) => f.type === 'hello');
    return c;
  };

  beforeAll(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
    server = http.createServer((_req, res) => res.end('pages are not served here'));
    rt = attachRealtime(server, app, { pollMs: 50, recheckMs: 60_000 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await rt?.close();
    await new Promise((r) => server?.close(r));
    await app?.cleanup();
  });

  async function member() {
    const u = await chatUser(app, { name: 'Anne', locale: 'en' });
    const g = await chatGroup(app, [{ id: u.id }]);
    const roomId = (await app.chat.groupChat(await u.actor(), { slug: g.slug })).room.id;
    return { u, roomId };
  }

  it('lets a read token subscribe and listen, never write', async () => {
    const { u, roomId } = await member();
    const read = await app.accounts.createToken(await u.actor(), { name: 'listener', scope: 'read' });
    const c = await open({ token: read.token });
    c.send({ type: 'resume', rooms: { [roomId]: 0 }, ref: 'r1' });
    await c.next((f) => f.type === 'subscribed' && f.ref === 'r1');
    c.send({ type: 'send', room: roomId, key: key(), body: 'from a read token', ref: 's1' });
    expect(await c.next((f) => f.type === 'error' && f.ref === 's1')).toMatchObject({ code: 'token_read_only', message: expect.stringContaining('only read') });
    c.send({ type: 'typing', room: roomId });
    await c.next((f) => f.type === 'error' && f.code === 'token_read_only' && !f.ref);
    // Nothing was written; messages sent by others still arrive.
    expect((await app.chat.eventsSince(await u.actor(), { roomId, after: 0, limit: 10 })).events).toHaveLength(0);
    const writer = await open({ cookie: await sessionFor(app, u.id) });
    writer.send({ type: 'send', room: roomId, key: key(), body: 'hello', ref: 'w1' });
    await writer.next((f) => f.type === 'ack' && f.ref === 'w1');
    expect((await c.next((f) => f.type === 'event' && f.room === roomId)).message.body).toBe('hello');
  });

  it('lets a write token send', async () => {
    const { u, roomId } = await member();
    const write = await app.accounts.createToken(await u.actor(), { name: 'bot', scope: 'write' });
    const c = await open({ token: write.token });
    c.send({ type: 'resume', rooms: { [roomId]: 0 } });
    await c.next((f) => f.type === 'subscribed');
    c.send({ type: 'send', room: roomId, key: key(), body: 'from a bot', ref: 's1' });
    expect(await c.next((f) => f.type === 'ack' && f.ref === 's1')).toMatchObject({ seq: 1 });
  });

  it('refuses revoked and expired tokens at the upgrade', async () => {
    const { u } = await member();
    const gone = await app.accounts.createToken(await u.actor(), { name: 'gone', scope: 'write' });
    await app.accounts.revokeToken(await u.actor(), { id: gone.id });
    await expect(wsClient(base, { token: gone.token })).rejects.toThrow(/401/);
    const old = await app.accounts.createToken(await u.actor(), { name: 'old', scope: 'read', expiresInDays: 30 });
    app.clock.advance(31 * 86_400_000);
    await expect(wsClient(base, { token: old.token })).rejects.toThrow(/401/);
  });

  it('closes open sockets when their token is revoked or the member logs out everywhere', async () => {
    const { u } = await member();
    const tok = await app.accounts.createToken(await u.actor(), { name: 'script', scope: 'write', expiresInDays: null });
    const byToken = await open({ token: tok.token });
    const bySession = await open({ cookie: await sessionFor(app, u.id) });
    const other = await chatUser(app);
    const unrelated = await open({ cookie: await sessionFor(app, other.id) });
    await app.accounts.revokeToken(await u.actor(), { id: tok.id });
    expect((await byToken.closed).code).toBe(CLOSE_CREDENTIAL_ENDED);
    await app.accounts.logOutEverywhere(await u.actor());
    expect((await bySession.closed).code).toBe(CLOSE_CREDENTIAL_ENDED);
    unrelated.send({ type: 'ping', ref: 'p' });
    await unrelated.next((f) => f.type === 'pong' && f.ref === 'p');
  });
});
