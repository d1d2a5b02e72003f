import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { chatUser, chatGroup, key, removeMember } from '../../../../../tests/support/chat-factories';
import { DomainError } from '../../kernel/errors';

const visitor = { kind: 'visitor' } as const;

describe.each(engines)('chat service (%s)', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(async () => {
    await app?.cleanup();
  });

  async function setup(visibility: 'open' | 'closed' | 'secret' = 'closed') {
    const anne = await chatUser(app, { name: 'Anne' });
    const bob = await chatUser(app, { name: 'Bob' });
    const carl = await chatUser(app, { name: 'Carl' });
    const g = await chatGroup(app, [{ id: anne.id, role: 'admin' }, { id: bob.id }], { visibility });
    const page = await app.chat.groupChat(await anne.actor(), { slug: g.slug });
    return { anne, bob, carl, g, roomId: page.room.id };
  }

  it('gives each event the next per-room seq, stores the frame, and keeps resends idempotent', async () => {
    const { anne, bob, roomId } = await setup();
    const k = key();
    const a = await app.chat.send(await anne.actor(), { roomId, key: k, body: 'Hello **all**' });
    expect(a.seq).toBe(1);
    expect(a.message.html).toContain('<strong>all</strong>');
    const again = await app.chat.send(await anne.actor(), { roomId, key: k, body: 'Hello **all**' });
    expect(again).toMatchObject({ duplicate: true, seq: 1 });
    expect(again.message.id).toBe(a.message.id);
    const b = await app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Hi', parentId: a.message.id });
    expect(b.seq).toBe(2);
    await app.chat.react(await anne.actor(), { messageId: b.message.id, emoji: '👍' });
    await app.chat.edit(await bob.actor(), { messageId: b.message.id, body: 'Hi there' });
    const { events } = await app.chat.eventsSince(await bob.actor(), { roomId, after: 0 });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const last = JSON.parse(events[3].frame);
    expect(last).toMatchObject({ type: 'event', room: roomId, seq: 4, kind: 'message.edited', message: { body: 'Hi there', reactions: { '👍': [anne.id] }, parentId: a.message.id } });
    const count = await app.db.selectFrom('chatMessages').select((eb) => eb.fn.countAll<number>().as('n')).where('roomId', '=', roomId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
    const parent = await app.chat.history(await anne.actor(), { roomId });
    expect(parent.messages.find((m) => m.id === a.message.id)?.replyCount).toBe(1);
  });

  it('refuses outsiders, non-members posting, oversize bodies and bad keys', async () => {
    const { carl, anne, roomId } = await setup('open');
    // An open group's chat is readable by anyone, writable by members only.
    await expect(app.chat.room(await carl.actor(), { roomId })).resolves.toBeTruthy();
    await expect(app.chat.send(await carl.actor(), { roomId, key: key(), body: 'x' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.chat.send(visitor, { roomId, key: key(), body: 'x' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    const long = app.chat.send(await anne.actor(), { roomId, key: key(), body: 'x'.repeat(10_001) });
    await expect(long).rejects.toBeInstanceOf(DomainError);
    await expect(long).rejects.toMatchObject({ issues: [{ code: 'message_too_long' }] });
    await expect(app.chat.send(await anne.actor(), { roomId, key: 'no spaces!', body: 'x' })).rejects.toMatchObject({ issues: [{ code: 'bad_key' }] });
  });

  it('hides a closed group chat from outsiders, and from a member once removed', async () => {
    const { carl, bob, g, roomId } = await setup('secret');
    await expect(app.chat.room(await carl.actor(), { roomId })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.chat.groupChat(await carl.actor(), { slug: g.slug })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.chat.room(await bob.actor(), { roomId })).resolves.toBeTruthy();
    await removeMember(app, g.id, bob.id);
    await expect(app.chat.eventsSince(await bob.actor(), { roomId, after: 0 })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('pages history by seq, tracks unread per member and notifies mentions that may read', async () => {
    const { anne, bob, carl, roomId } = await setup();
    for (let i = 1; i <= 7; i++) await app.chat.send(await anne.actor(), { roomId, key: key(), body: `m${i} @${bob.handle} @${carl.handle}` });
    const page = await app.chat.roomPage(await bob.actor(), { roomId, limit: 3 });
    expect(page.messages.map((m) => m.body.split(' ')[0])).toEqual(['m5', 'm6', 'm7']);
    expect(page.hasOlder).toBe(true);
    expect(page.unread).toBe(7);
    const older = await app.chat.history(await bob.actor(), { roomId, before: page.messages[0].seq, limit: 3 });
    expect(older.messages.map((m) => m.body.split(' ')[0])).toEqual(['m2', 'm3', 'm4']);
    const r = await app.chat.markRead(await bob.actor(), { roomId, seq: page.messages[0].seq - 1 });
    expect(r.unread).toBe(3);
    expect((await app.chat.roomPage(await anne.actor(), { roomId })).unread).toBe(0);
    const notes = await app.db.selectFrom('notifications').select(['userId', 'reason']).where('reason', '=', 'mentioned').where('userId', 'in', [bob.id, carl.id]).execute();
    expect(notes.filter((n) => n.userId === bob.id)).toHaveLength(7);
    expect(notes.filter((n) => n.userId === carl.id)).toHaveLength(0); // Carl may not read this closed group
  });

  it('opens one direct conversation per set of people, readable by participants only', async () => {
    const { anne, bob, carl } = await setup();
    const a = await app.chat.openDirect(await anne.actor(), { handles: `@${bob.handle}` });
    const b = await app.chat.openDirect(await bob.actor(), { handles: [anne.handle] });
    expect(b.roomId).toBe(a.roomId);
    await app.chat.send(await bob.actor(), { roomId: a.roomId, key: key(), body: 'psst' });
    await expect(app.chat.room(await carl.actor(), { roomId: a.roomId })).rejects.toMatchObject({ kind: 'not_found' });
    const list = await app.chat.listDirect(await anne.actor(), {});
    expect(list.conversations[0]).toMatchObject({ id: a.roomId, title: 'Bob', unread: 1 });
    await expect(app.chat.openDirect(await anne.actor(), { handles: 'nobody_here' })).rejects.toMatchObject({ issues: [{ code: 'unknown_handle' }] });
    // Deleting: the author yes, someone else no.
    const m = await app.chat.send(await anne.actor(), { roomId: a.roomId, key: key(), body: 'oops' });
    await expect(app.chat.remove(await bob.actor(), { messageId: m.message.id })).rejects.toMatchObject({ kind: 'forbidden' });
    const del = await app.chat.remove(await anne.actor(), { messageId: m.message.id });
    expect(del.message).toMatchObject({ body: '', deletedAt: expect.any(String) });
  });
  it('counts unread for the group page and the navigation, and hides the count from outsiders', async () => {
    const { anne, bob, carl, g, roomId } = await setup('secret');
    expect(await app.chat.groupUnread(await bob.actor(), { slug: g.slug })).toBe(0);
    await app.chat.send(await anne.actor(), { roomId, key: key(), body: 'one' });
    await app.chat.send(await anne.actor(), { roomId, key: key(), body: 'two' });
    expect(await app.chat.groupUnread(await bob.actor(), { slug: g.slug })).toBe(2);
    expect(await app.chat.groupUnread(await anne.actor(), { slug: g.slug })).toBe(0);
    await expect(app.chat.groupUnread(await carl.actor(), { slug: g.slug })).rejects.toMatchObject({ kind: 'not_found' });
    await app.chat.groupChat(await bob.actor(), { slug: g.slug });
    expect(await app.chat.groupUnread(await bob.actor(), { slug: g.slug })).toBe(0);

    expect(await app.chat.directUnreadTotal(await carl.actor())).toBe(0);
    const d1 = await app.chat.openDirect(await anne.actor(), { handles: carl.handle });
    const d2 = await app.chat.openDirect(await bob.actor(), { handles: carl.handle });
    await app.chat.send(await anne.actor(), { roomId: d1.roomId, key: key(), body: 'a' });
    await app.chat.send(await anne.actor(), { roomId: d1.roomId, key: key(), body: 'b' });
    await app.chat.send(await bob.actor(), { roomId: d2.roomId, key: key(), body: 'c' });
    expect(await app.chat.directUnreadTotal(await carl.actor())).toBe(3);
    expect(await app.chat.directUnreadTotal(await anne.actor())).toBe(0);
    await app.chat.roomPage(await carl.actor(), { roomId: d1.roomId });
    expect(await app.chat.directUnreadTotal(await carl.actor())).toBe(1);
    expect(await app.chat.directUnreadTotal(visitor)).toBe(0);
  });

  it('attaches files to a chat message, readable exactly by who may read the room', async () => {
    const { anne, bob, carl, roomId } = await setup('closed');
    const notes = new File(['Stand: 9:00, Place Flagey'], 'plan.txt', { type: 'text/plain' });
    const sent = await app.chat.send(await anne.actor(), { roomId, key: key(), body: '', files: [notes] });
    expect(sent.message.files).toMatchObject([{ name: 'plan.txt', mime: 'text/plain', isImage: false }]);
    const fileId = sent.message.files[0].id;
    // The live frame and the history carry it too.
    const { events } = await app.chat.eventsSince(await bob.actor(), { roomId, after: 0 });
    expect(JSON.parse(events[events.length - 1].frame).message.files[0].id).toBe(fileId);
    expect((await app.chat.history(await bob.actor(), { roomId })).messages.at(-1)?.files[0].id).toBe(fileId);
    await expect(app.files.open(await bob.actor(), fileId, 'original')).resolves.toMatchObject({ name: 'plan.txt' });
    await expect(app.files.open(await carl.actor(), fileId, 'original')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.files.open(visitor, fileId, 'original')).rejects.toMatchObject({ kind: 'not_found' });
    // Deleting the message hides its files.
    await app.chat.remove(await anne.actor(), { messageId: sent.message.id });
    await expect(app.files.open(await bob.actor(), fileId, 'original')).rejects.toMatchObject({ kind: 'not_found' });
    // Direct conversations: participants only.
    const dm = await app.chat.openDirect(await anne.actor(), { handles: bob.handle });
    const priv = await app.chat.send(await anne.actor(), { roomId: dm.roomId, key: key(), body: 'for you', files: [new File(['x'], 'a.txt', { type: 'text/plain' })] });
    await expect(app.files.open(await bob.actor(), priv.message.files[0].id, 'original')).resolves.toBeTruthy();
    await expect(app.files.open(await carl.actor(), priv.message.files[0].id, 'original')).rejects.toMatchObject({ kind: 'not_found' });
    // Nothing to send, and a file type that is refused, are field errors.
    await expect(app.chat.send(await anne.actor(), { roomId, key: key(), body: '  ' })).rejects.toMatchObject({ issues: [{ path: 'body', code: 'required' }] });
    await expect(app.chat.send(await anne.actor(), { roomId, key: key(), body: 'x', files: [new File(['MZ'], 'run.exe', { type: 'application/x-msdownload' })] })).rejects.toMatchObject({ issues: [{ path: 'files', code: 'file_type' }] });
  });

  it('lists chat mentions on the home page, linking to the message, while the member may read it', async () => {
    const { anne, bob, g, roomId } = await setup('closed');
    const m1 = await app.chat.send(await anne.actor(), { roomId, key: key(), body: `@${bob.handle} can you bring the **flyers**?` });
    const dm = await app.chat.openDirect(await anne.actor(), { handles: bob.handle });
    const m2 = await app.chat.send(await anne.actor(), { roomId: dm.roomId, key: key(), body: `psst @${bob.handle}` });
    let home = await app.discussions.home(await bob.actor());
    if (home.kind !== 'member') throw new Error('member home expected');
    expect(home.mentions.map((m) => [m.url, m.title, m.group?.slug ?? null, m.chat?.kind])).toEqual([
      [`/messages/${dm.roomId}?after=${m2.seq - 1}#m-${m2.message.id}`, `psst @${bob.handle}`, null, 'direct'],
      [`/groups/${g.slug}/chat?after=${m1.seq - 1}#m-${m1.message.id}`, `@${bob.handle} can you bring the **flyers**?`, g.slug, 'group'],
    ]);
    expect(home.mentions[0].actor.name).toBe('Anne');
    // A deleted message, or a room one may no longer read, drops the mention.
    await app.chat.remove(await anne.actor(), { messageId: m2.message.id });
    await removeMember(app, g.id, bob.id);
    home = await app.discussions.home(await bob.actor());
    if (home.kind !== 'member') throw new Error('member home expected');
    expect(home.mentions).toEqual([]);
  });

  it('makes a discussion from a chat message in the group, for members only', async () => {
    const { anne, carl, roomId, g } = await setup('open');
    const m = await app.chat.send(await anne.actor(), { roomId, key: key(), body: 'We need a **stand** on Saturday' });
    await expect(app.chat.toDiscussion(await carl.actor(), { messageId: m.message.id, title: 'Stand' })).rejects.toMatchObject({ kind: 'forbidden' });
    const d = await app.chat.toDiscussion(await anne.actor(), { messageId: m.message.id, title: 'Stand on Saturday' });
    const row = await app.db.selectFrom('discussions').select(['title', 'body', 'groupId']).where('id', '=', d.discussionId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: 'Stand on Saturday', groupId: g.id });
    expect(row.body).toContain('> We need a **stand** on Saturday');
    expect(row.body).toContain(`#m-${m.message.id}`);
    expect(await app.db.selectFrom('searchDocs').select('docId').where('docId', '=', d.discussionId).executeTakeFirst()).toBeTruthy();
  });
});
