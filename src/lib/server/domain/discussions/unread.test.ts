import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, addMember, makeCircle, makeUser, unreadOf } from '../../../../../tests/support/discussions-factories';

describe.each(engines)('unread tracking on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  const unread = (u: { id: string }) => unreadOf(app, c.g.id, u.id);
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  it('counts posts for every member but the author; own comments never count', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body: 'b' });
    expect([await unread(c.anne), await unread(c.bert), await unread(c.admin)]).toEqual([0, 1, 1]);
    await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'mine' });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'his' });
    expect([await unread(c.anne), await unread(c.bert), await unread(c.admin)]).toEqual([1, 2, 3]);
    const list = await app.discussions.listForGroup(c.bert.actor, { groupSlug: c.g.slug });
    expect(list.items[0].newCount).toBe(2);
    expect(list.group.unreadCount).toBe(2);
    const seqs = await app.db.selectFrom('comments').select('seq').orderBy('seq').execute();
    expect(seqs.map((s) => s.seq)).toEqual([2, 3]);
  });

  it('opening a discussion reads what it shows, with the first unread item as anchor', async () => {
    const d1 = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'One', body: 'b' });
    const d2 = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Two', body: 'b' });
    expect(await unread(c.bert)).toBe(2);
    const o = await app.discussions.open(c.bert.actor, { discussionId: d1.id });
    expect(o.firstUnreadSeq).toBe(d1.seq);
    expect(await unread(c.bert)).toBe(1);
    // Reopening changes nothing and has no unread anchor.
    expect((await app.discussions.open(c.bert.actor, { discussionId: d1.id })).firstUnreadSeq).toBeNull();
    expect(await unread(c.bert)).toBe(1);
    // New comments after a read: the anchor points at the first new one, skipping Bert's own.
    await app.discussions.reply(c.bert.actor, { discussionId: d1.id, body: 'bert' });
    const r2 = await app.discussions.reply(c.anne.actor, { discussionId: d1.id, body: 'anne 1' });
    await app.discussions.reply(c.anne.actor, { discussionId: d1.id, body: 'anne 2' });
    expect(await unread(c.bert)).toBe(3);
    expect((await app.discussions.listForGroup(c.bert.actor, { groupSlug: c.g.slug })).items.find((x) => x.id === d1.id)?.newCount).toBe(2);
    const o2 = await app.discussions.open(c.bert.actor, { discussionId: d1.id });
    expect(o2.firstUnreadSeq).toBe(r2.seq);
    expect(await unread(c.bert)).toBe(1);
    await app.discussions.markRead(c.bert.actor, { discussionId: d2.id });
    expect(await unread(c.bert)).toBe(0);
    expect((await app.discussions.listForGroup(c.bert.actor, { groupSlug: c.g.slug })).items.every((x) => x.newCount === 0)).toBe(true);
  });

  it('mark all as read resets the count and the per-discussion "new"; never below zero', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body: 'b' });
    await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'x' });
    expect(await unread(c.bert)).toBe(2);
    await app.discussions.markAllRead(c.bert.actor, { groupSlug: c.g.slug });
    expect(await unread(c.bert)).toBe(0);
    expect((await app.discussions.listForGroup(c.bert.actor, { groupSlug: c.g.slug })).items[0].newCount).toBe(0);
    await app.discussions.open(c.bert.actor, { discussionId: d.id });
    expect(await unread(c.bert)).toBe(0);
    // A stale count (should never happen) cannot go negative.
    await app.db.updateTable('memberships').set({ unreadCount: 0 }).where('userId', '=', c.admin.id).execute();
    await app.discussions.open(c.admin.actor, { discussionId: d.id });
    expect(await unread(c.admin)).toBe(0);
    await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'y' });
    expect(await unread(c.bert)).toBe(1);
  });

  it('a new member starts at zero: only what is posted after joining counts', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Old', body: 'b' });
    await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'old reply' });
    const newbie = await makeUser(app, { name: 'Nina New' });
    await addMember(app, c.g.id, newbie.id);
    const nina = await actorOf(app, newbie.id);
    expect(await unreadOf(app, c.g.id, newbie.id)).toBe(0);
    expect((await app.discussions.listForGroup(nina, { groupSlug: c.g.slug })).items[0].newCount).toBe(0);
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'new reply' });
    expect(await unreadOf(app, c.g.id, newbie.id)).toBe(1);
    const o = await app.discussions.open(nina, { discussionId: d.id });
    expect(o.comments[o.comments.findIndex((x) => x.seq === o.firstUnreadSeq)].body).toBe('new reply');
    expect(await unreadOf(app, c.g.id, newbie.id)).toBe(0);
  });

  it('deleting a discussion removes its unread items from every count', async () => {
    const keep = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Keep', body: 'b' });
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Gone', body: 'b' });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'x' });
    await app.discussions.open(c.admin.actor, { discussionId: d.id });
    await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'y' });
    expect([await unread(c.anne), await unread(c.bert), await unread(c.admin)]).toEqual([1, 3, 2]);
    await app.discussions.remove(c.anne.actor, { discussionId: d.id });
    expect([await unread(c.anne), await unread(c.bert), await unread(c.admin)]).toEqual([0, 1, 1]);
    void keep;
  });

  it('a non-member reading an open group has no unread state', async () => {
    const o = await makeCircle(app, 'open');
    const d = await app.discussions.create(o.anne.actor, { groupSlug: o.g.slug, title: 'T', body: 'b' });
    const r = await app.discussions.open(c.outsider.actor, { discussionId: d.id });
    expect(r.firstUnreadSeq).toBeNull();
    expect(r.discussion.newCount).toBeNull();
    expect((await app.discussions.listForGroup(c.outsider.actor, { groupSlug: o.g.slug })).items[0].newCount).toBeNull();
  });
  it('long discussions show one page of replies; unread replies before the page stay unread until reached', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Long', body: 'b' });
    await app.discussions.open(c.bert.actor, { discussionId: d.id });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: `reply ${i}` })).id);
    expect(await unread(c.bert)).toBe(120);
    // Visitors and non-members read from the top.
    const top = await app.discussions.open(c.admin.actor, { discussionId: d.id, comment: ids[0] });
    expect(top.comments).toHaveLength(50);
    // A member sees the latest replies; the 70 unread before them are not marked read.
    const latest = await app.discussions.open(c.bert.actor, { discussionId: d.id });
    expect(latest.comments.map((x) => x.id)).toEqual(ids.slice(70));
    expect([latest.earlier !== null, latest.later]).toEqual([true, null]);
    expect(latest.jumpToComment).toBe(ids[0]);
    expect(await unread(c.bert)).toBe(120);
    // Jumping to the first unread reads that page only, then the next page.
    const first = await app.discussions.open(c.bert.actor, { discussionId: d.id, comment: ids[0] });
    expect(first.comments.map((x) => x.id)).toEqual(ids.slice(0, 50));
    expect(first.firstUnreadSeq).toBe(first.comments[0].seq);
    expect(await unread(c.bert)).toBe(70);
    const next = await app.discussions.open(c.bert.actor, { discussionId: d.id, after: first.later });
    expect(next.comments.map((x) => x.id)).toEqual(ids.slice(50, 100));
    expect(await unread(c.bert)).toBe(20);
    const back = await app.discussions.open(c.bert.actor, { discussionId: d.id, before: next.earlier });
    expect(back.comments.map((x) => x.id)).toEqual(ids.slice(0, 50));
    expect(await unread(c.bert)).toBe(20);
    const last = await app.discussions.open(c.bert.actor, { discussionId: d.id });
    expect([last.jumpToComment, last.later]).toEqual([null, null]);
    expect(await unread(c.bert)).toBe(0);
    // Bad paging parameters are refused, not guessed.
    await expect(app.discussions.open(c.bert.actor, { discussionId: d.id, after: 'x' })).rejects.toMatchObject({ kind: 'invalid' });
  });
});

describe.each(engines)('concurrent reads on %s', (engine) => {
  it('two simultaneous opens subtract once', async () => {
    const app = await createTestApp(engine);
    try {
      const c = await makeCircle(app, 'closed');
      const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body: 'b' });
      for (let i = 0; i < 3; i++) await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: `r${i}` });
      await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Other', body: 'b' });
      expect(await unreadOf(app, c.g.id, c.bert.id)).toBe(5);
      await Promise.all([1, 2, 3].map(() => app.discussions.markRead(c.bert.actor, { discussionId: d.id })));
      expect(await unreadOf(app, c.g.id, c.bert.id)).toBe(1);
    } finally {
      await app.cleanup();
    }
  });
});
