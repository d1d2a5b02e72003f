import { describe, expect, it } from 'vitest';
import { chatEntry, commentEntry, deliver, flushOutbox, isAction, MemoryOutboxStore, rsvpEntry, taskEntry } from './outbox';

type Call = { url: string; key: string | null; body: Record<string, unknown> };

/** A server that answers each address with the given status (or a network failure), recording calls. */
function server(answers: Record<string, number | 'down'>, calls: Call[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const a = answers[url] ?? 201;
    if (a === 'down') throw new TypeError('Failed to fetch');
    calls.push({ url, key: new Headers(init?.headers).get('idempotency-key'), body: JSON.parse(String(init?.body)) });
    return new Response(JSON.stringify(a < 300 ? { ok: true } : { error: { message: `refused ${a}` } }), { status: a, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

describe('the device outbox', () => {
  it('sends waiting entries in the order written, each with its own key in the header and the body', async () => {
    const store = new MemoryOutboxStore();
    await store.add(commentEntry('u1', 'd1', 'first', 'key00000001'));
    await store.add(chatEntry('u1', 'r1', 'second', null, 'key00000002'));
    await store.add(commentEntry('u2', 'd1', 'someone else', 'key00000003'));
    const calls: Call[] = [];
    const r = await flushOutbox(store, 'u1', server({}, calls));
    expect(calls.map((c) => [c.url, c.key, c.body.key, c.body.body])).toEqual([
      ['/api/v1/discussions/d1/comments', 'key00000001', 'key00000001', 'first'],
      ['/api/v1/chat/rooms/r1/messages', 'key00000002', 'key00000002', 'second'],
    ]);
    expect(r.sent.map((e) => e.text)).toEqual(['first', 'second']);
    expect(await store.list('u1')).toEqual([]);
    // Another member's words stay for them alone.
    expect((await store.list('u2')).map((e) => e.text)).toEqual(['someone else']);
  });

  it('stops at a network failure, keeps the order and repeats the same key on the next round', async () => {
    const store = new MemoryOutboxStore();
    await store.add(commentEntry('u1', 'd1', 'one', 'key00000001'));
    await store.add(commentEntry('u1', 'd2', 'two', 'key00000002'));
    const r1 = await flushOutbox(store, 'u1', server({ '/api/v1/discussions/d1/comments': 'down' }));
    expect(r1).toMatchObject({ stopped: 'network', waiting: 2, sent: [] });
    const r2 = await flushOutbox(store, 'u1', server({ '/api/v1/discussions/d1/comments': 503 }));
    expect(r2).toMatchObject({ stopped: 'network', waiting: 2 });
    const calls: Call[] = [];
    await flushOutbox(store, 'u1', server({}, calls));
    expect(calls.map((c) => c.key)).toEqual(['key00000001', 'key00000002']);
  });

  it('keeps a refused entry with its text and the reason, and goes on with the next', async () => {
    const store = new MemoryOutboxStore();
    await store.add(commentEntry('u1', 'gone', 'my long reply', 'key00000001'));
    await store.add(commentEntry('u1', 'locked', 'another', 'key00000002'));
    await store.add(commentEntry('u1', 'ok', 'third', 'key00000003'));
    const r = await flushOutbox(store, 'u1', server({ '/api/v1/discussions/gone/comments': 404, '/api/v1/discussions/locked/comments': 409 }));
    expect(r.sent.map((e) => e.text)).toEqual(['third']);
    const left = await store.list('u1');
    expect(left.map((e) => [e.text, e.state, e.reason, e.message])).toEqual([
      ['my long reply', 'refused', 'gone', 'refused 404'],
      ['another', 'refused', 'refused', 'refused 409'],
    ]);
    // A refused entry is not tried again.
    const calls: Call[] = [];
    await flushOutbox(store, 'u1', server({}, calls));
    expect(calls).toEqual([]);
  });

  it('classifies answers: 403 and 410 are gone, 401 stops (signed out), 429 waits', async () => {
    const e = commentEntry('u1', 'd', 'x', 'key00000001');
    expect(await deliver(e, server({ [e.url]: 403 }))).toMatchObject({ outcome: 'refused', reason: 'gone' });
    expect(await deliver(e, server({ [e.url]: 410 }))).toMatchObject({ outcome: 'refused', reason: 'gone' });
    expect(await deliver(e, server({ [e.url]: 400 }))).toMatchObject({ outcome: 'refused', reason: 'refused' });
    expect(await deliver(e, server({ [e.url]: 401 }))).toEqual({ outcome: 'signed-out' });
    expect(await deliver(e, server({ [e.url]: 429 }))).toEqual({ outcome: 'retry' });
    const store = new MemoryOutboxStore();
    await store.add(e);
    expect(await flushOutbox(store, 'u1', server({ [e.url]: 401 }))).toMatchObject({ stopped: 'signed-out', waiting: 1 });
    expect((await store.list('u1'))[0].state).toBe('waiting');
  });

  it('task changes and answers to events go to their API in order, each under its key; a refused move keeps what was tried', async () => {
    const store = new MemoryOutboxStore();
    await store.add(taskEntry('u1', 't1', { action: 'take' }, 'Take “Flyers”', 'key00000001'));
    await store.add(taskEntry('u1', 't1', { action: 'move', columnId: 'c2', version: 3 }, 'Move “Flyers” to Doing', 'key00000002'));
    await store.add(taskEntry('u1', 't1', { action: 'done' }, 'Mark “Flyers” as done', 'key00000003'));
    await store.add(rsvpEntry('u1', 'e1', 'maybe', '20260207', 'Answer “Maybe” to “Stand”', 'key00000004'));
    const calls: Call[] = [];
    const r = await flushOutbox(store, 'u1', server({ '/api/v1/tasks/t1/move': 409 }, calls));
    expect(calls.map((c) => [c.url, c.key, c.body])).toEqual([
      ['/api/v1/tasks/t1/take', 'key00000001', { key: 'key00000001' }],
      ['/api/v1/tasks/t1/move', 'key00000002', { key: 'key00000002', columnId: 'c2', version: 3, position: 0 }],
      ['/api/v1/tasks/t1/complete', 'key00000003', { key: 'key00000003' }],
      ['/api/v1/events/e1/rsvp', 'key00000004', { key: 'key00000004', answer: 'maybe', occurrence: '20260207' }],
    ]);
    expect(r.refused.map((e) => [e.text, e.reason, e.message, isAction(e)])).toEqual([['Move “Flyers” to Doing', 'refused', 'refused 409', true]]);
    expect((await store.list('u1')).map((e) => e.state)).toEqual(['refused']);
    expect(rsvpEntry('u1', 'e1', 'yes', null, 'x', 'key00000005').payload).toEqual({ key: 'key00000005', answer: 'yes' });
    expect(isAction(commentEntry('u1', 'd1', 'words'))).toBe(false);
  });
});
