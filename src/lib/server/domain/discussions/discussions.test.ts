import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { addMember, makeCircle, makeGroup, makeUser, actorOf } from '../../../../../tests/support/discussions-factories';
import { visitor } from '../../policy';

describe.each(engines)('discussions on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  it('a member starts a discussion: markdown rendered, counters and event written', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Marché de Noël', body: 'On se voit **samedi**, @' + c.bert.handle + ' ?' });
    expect(d.title).toBe('Marché de Noël');
    expect(d.bodyHtml).toContain('<strong>samedi</strong>');
    expect(d.bodyHtml).toContain(`href="/u/${c.bert.handle}"`);
    const g = await app.db.selectFrom('groups').selectAll().where('id', '=', c.g.id).executeTakeFirstOrThrow();
    expect(g.discussionCount).toBe(1);
    expect(g.lastSeq).toBe(1);
    const ev = await app.db.selectFrom('events').selectAll().where('type', '=', 'discussion.started').execute();
    expect(ev).toHaveLength(1);
  });

  it('refuses invalid input with field codes, and non-members with not-found or forbidden', async () => {
    await expect(app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: '', body: 'x' })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'title', code: 'required' }] });
    await expect(app.discussions.create(c.outsider.actor, { groupSlug: c.g.slug, title: 'Hi', body: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
    const open = await makeGroup(app, { visibility: 'open', createdBy: c.admin.id });
    await expect(app.discussions.create(c.outsider.actor, { groupSlug: open.slug, title: 'Hi', body: 'x' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.discussions.create(visitor, { groupSlug: open.slug, title: 'Hi', body: 'x' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    const secret = await makeGroup(app, { visibility: 'secret', createdBy: c.admin.id });
    await expect(app.discussions.create(c.outsider.actor, { groupSlug: secret.slug, title: 'Hi', body: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.discussions.create(visitor, { groupSlug: c.g.slug, title: 'Hi', body: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('closed and secret groups: a non-member gets not-found on reading, commenting and reacting', async () => {
    for (const visibility of ['closed', 'secret'] as const) {
      const g = await makeGroup(app, { visibility, createdBy: c.admin.id });
      await addMember(app, g.id, c.anne.id);
      const anne = await actorOf(app, c.anne.id);
      const d = await app.discussions.create(anne, { groupSlug: g.slug, title: 'Private', body: 'secret plans' });
      const reply = await app.discussions.reply(anne, { discussionId: d.id, body: 'more' });
      for (const who of [c.outsider.actor, visitor]) {
        await expect(app.discussions.open(who, { discussionId: d.id })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.get(who, { discussionId: d.id })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.getComment(who, { commentId: reply.id })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.listForGroup(who, { groupSlug: g.slug })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.reply(who, { discussionId: d.id, body: 'hi' })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.react(who, { targetId: d.id, emoji: '👍' })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.react(who, { targetId: reply.id, emoji: '👍' })).rejects.toMatchObject({ kind: 'not_found' });
        await expect(app.discussions.markRead(who, { discussionId: d.id })).rejects.toMatchObject({ kind: 'not_found' });
      }
    }
  });

  it('an open group is readable by visitors but only members may reply', async () => {
    const open = await makeGroup(app, { visibility: 'open', createdBy: c.admin.id });
    await addMember(app, open.id, c.anne.id);
    const anne = await actorOf(app, c.anne.id);
    const d = await app.discussions.create(anne, { groupSlug: open.slug, title: 'Public', body: 'hello' });
    const seen = await app.discussions.open(visitor, { discussionId: d.id });
    expect(seen.discussion.body).toBe('hello');
    expect(seen.can['discussion.reply']).toBe(false);
    await expect(app.discussions.reply(c.outsider.actor, { discussionId: d.id, body: 'hi' })).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('lists pinned first then latest activity, keyset-paged without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      app.clock.advance(60_000);
      ids.push((await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: `D${i}`, body: 'b' })).id);
    }
    // Activity on D1 brings it to the top; D3 is pinned.
    app.clock.advance(60_000);
    await app.discussions.reply(c.bert.actor, { discussionId: ids[1], body: 'up' });
    await app.discussions.setPinned(c.admin.actor, { discussionId: ids[3], on: true });
    const p1 = await app.discussions.listForGroup(c.anne.actor, { groupSlug: c.g.slug, limit: 3 });
    expect(p1.pinned.map((d) => d.title)).toEqual(['D3']);
    expect(p1.items.map((d) => d.title)).toEqual(['D1', 'D6', 'D5']);
    expect(p1.items[0].commentCount).toBe(1);
    expect(p1.items[0].newCount).toBe(1);
    const p2 = await app.discussions.listForGroup(c.anne.actor, { groupSlug: c.g.slug, limit: 3, after: p1.next });
    expect(p2.pinned).toEqual([]);
    expect(p2.items.map((d) => d.title)).toEqual(['D4', 'D2', 'D0']);
    expect(p2.next).toBeNull();
    await expect(app.discussions.setPinned(c.anne.actor, { discussionId: ids[3], on: false })).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('comments: edit by the author shows edited; delete by author or admin hides the text everywhere', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body: 'b' });
    const r = await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'first version' });
    await expect(app.discussions.editComment(c.anne.actor, { commentId: r.id, body: 'hijack' })).rejects.toMatchObject({ kind: 'forbidden' });
    app.clock.advance(1000);
    const e = await app.discussions.editComment(c.bert.actor, { commentId: r.id, body: 'second *version*' });
    expect(e.editedAt).not.toBeNull();
    expect(e.bodyHtml).toContain('<em>version</em>');
    expect((await app.db.selectFrom('events').select('type').where('type', '=', 'comment.edited').execute()).length).toBe(1);

    await expect(app.discussions.removeComment(c.anne.actor, { commentId: r.id })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.discussions.removeComment(c.admin.actor, { commentId: r.id });
    const t = await app.discussions.open(c.anne.actor, { discussionId: d.id });
    expect(t.comments[0]).toMatchObject({ deleted: true, body: null, bodyHtml: null });
    expect(t.discussion.commentCount).toBe(0);
    expect((await app.discussions.search(c.anne.actor, { q: 'second' })).hits).toHaveLength(0);
    await expect(app.discussions.getComment(c.anne.actor, { commentId: r.id })).resolves.toMatchObject({ body: null });
  });

  it('discussion edit, lock and delete', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body: 'b' });
    await expect(app.discussions.edit(c.bert.actor, { discussionId: d.id, title: 'X', body: 'y' })).rejects.toMatchObject({ kind: 'forbidden' });
    const e = await app.discussions.edit(c.anne.actor, { discussionId: d.id, title: 'T2', body: 'b2' });
    expect(e).toMatchObject({ title: 'T2', body: 'b2' });
    expect(e.editedAt).not.toBeNull();
    await expect(app.discussions.setLocked(c.bert.actor, { discussionId: d.id, on: true })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.discussions.setLocked(c.admin.actor, { discussionId: d.id, on: '1' });
    await expect(app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'x' })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.discussions.setLocked(c.admin.actor, { discussionId: d.id, on: false });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'x' });

    await expect(app.discussions.remove(c.bert.actor, { discussionId: d.id })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.discussions.remove(c.anne.actor, { discussionId: d.id });
    const gone = await app.discussions.open(c.bert.actor, { discussionId: d.id });
    expect(gone.discussion).toMatchObject({ deleted: true, body: null, bodyHtml: null });
    expect(gone.comments).toEqual([]);
    expect((await app.discussions.listForGroup(c.bert.actor, { groupSlug: c.g.slug })).items).toEqual([]);
    const g = await app.db.selectFrom('groups').select('discussionCount').where('id', '=', c.g.id).executeTakeFirstOrThrow();
    expect(g.discussionCount).toBe(0);
  });

  it('reactions toggle from the palette, with counts and whether I reacted', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body: 'b' });
    const r = await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'c' });
    expect((await app.discussions.react(c.bert.actor, { targetId: d.id, emoji: '🎉' })).added).toBe(true);
    await app.discussions.react(c.anne.actor, { targetId: d.id, emoji: '🎉' });
    const res = await app.discussions.react(c.anne.actor, { targetId: r.id, emoji: '👀' });
    expect(res.reactions).toEqual([{ emoji: '👀', count: 1, mine: true }]);
    const v = await app.discussions.get(c.bert.actor, { discussionId: d.id });
    expect(v.reactions).toEqual([{ emoji: '🎉', count: 2, mine: true }]);
    const off = await app.discussions.react(c.bert.actor, { targetId: d.id, emoji: '🎉' });
    expect(off).toMatchObject({ added: false, reactions: [{ emoji: '🎉', count: 1, mine: false }] });
    await expect(app.discussions.react(c.bert.actor, { targetId: d.id, emoji: '💩' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(app.discussions.react(c.outsider.actor, { targetId: d.id, emoji: '👍' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('renders a preview for signed-in members only', async () => {
    expect((await app.discussions.preview(c.anne.actor, { body: `# Hi @${c.bert.handle}` })).html).toContain('<h1>Hi <a class="mention"');
    await expect(app.discussions.preview(visitor, { body: 'x' })).rejects.toMatchObject({ kind: 'unauthenticated' });
  });

  it('mention candidates: members of the group by handle or name prefix, readers only', async () => {
    const other = await makeUser(app, { name: 'Anna Other', handle: 'anna_other' });
    void other;
    const res = await app.discussions.mentionCandidates(c.bert.actor, { groupSlug: c.g.slug, q: 'ann' });
    expect(res.map((u) => u.id)).toEqual([c.anne.id]);
    const byName = await app.discussions.mentionCandidates(c.bert.actor, { groupSlug: c.g.slug, q: 'Pee' });
    expect(byName).toEqual([]);
    const underscore = await app.discussions.mentionCandidates(c.bert.actor, { groupSlug: c.g.slug, q: '_' });
    expect(underscore).toEqual([]);
    await expect(app.discussions.mentionCandidates(c.outsider.actor, { groupSlug: c.g.slug, q: 'a' })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
