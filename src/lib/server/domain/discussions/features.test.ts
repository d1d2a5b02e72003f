import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, addMember, makeCircle, makeGroup, makeUser } from '../../../../../tests/support/discussions-factories';
import { visitor } from '../../policy';
import { ftsQuery } from './search';

describe.each(engines)('mentions, drafts, search, home and attachments on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  const mentionsOf = (userId: string) => app.db.selectFrom('notifications').selectAll().where('userId', '=', userId).where('reason', '=', 'mentioned').execute();
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  it('mentions notify readers once, never the author, never a non-member of a closed group', async () => {
    const body = `Hi @${c.bert.handle}, @${c.outsider.handle}, @${c.anne.handle} and @nobody_here`;
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'T', body });
    expect(await mentionsOf(c.bert.id)).toHaveLength(1);
    expect(await mentionsOf(c.outsider.id)).toHaveLength(0);
    expect(await mentionsOf(c.anne.id)).toHaveLength(0);
    await app.discussions.edit(c.anne.actor, { discussionId: d.id, title: 'T', body: body + ' (edited)' });
    expect(await mentionsOf(c.bert.id)).toHaveLength(1);
    const r = await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: `@${c.admin.handle} look` });
    await app.discussions.editComment(c.bert.actor, { commentId: r.id, body: `@${c.admin.handle} look, @${c.anne.handle}` });
    const adminMentions = await mentionsOf(c.admin.id);
    expect(adminMentions).toHaveLength(1);
    expect(adminMentions[0]).toMatchObject({ itemId: r.id, subjectId: d.id, actorId: c.bert.id });
    expect(await mentionsOf(c.anne.id)).toHaveLength(1);
    // Opening the discussion marks the member's mentions in it as read.
    expect((await mentionsOf(c.bert.id))[0].readAt).toBeNull();
    await app.discussions.open(c.bert.actor, { discussionId: d.id });
    expect((await mentionsOf(c.bert.id))[0].readAt).not.toBeNull();
    expect((await mentionsOf(c.admin.id))[0].readAt).toBeNull();
  });

  it('drafts: saved, restored in the forms, removed by posting; members only', async () => {
    const key = `discussion:${c.g.id}`;
    await app.discussions.saveDraft(c.anne.actor, { key, title: 'Half', body: 'typed so far' });
    expect((await app.discussions.newDiscussionForm(c.anne.actor, { groupSlug: c.g.slug })).draft).toMatchObject({ title: 'Half', body: 'typed so far' });
    expect(await app.discussions.getDraft(c.anne.actor, key)).toMatchObject({ title: 'Half' });
    expect(await app.discussions.getDraft(c.bert.actor, key)).toBeNull();
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Full', body: 'done' });
    expect(await app.discussions.getDraft(c.anne.actor, key)).toBeNull();

    const ck = `comment:${d.id}`;
    await app.discussions.saveDraft(c.bert.actor, { key: ck, body: 'reply in progress' });
    expect((await app.discussions.open(c.bert.actor, { discussionId: d.id })).draft).toMatchObject({ body: 'reply in progress' });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'reply' });
    expect(await app.discussions.getDraft(c.bert.actor, ck)).toBeNull();
    await app.discussions.saveDraft(c.bert.actor, { key: ck, body: 'x' });
    await app.discussions.saveDraft(c.bert.actor, { key: ck, body: '  ' });
    expect(await app.discussions.getDraft(c.bert.actor, ck)).toBeNull();

    for (const k of [key, ck]) {
      await expect(app.discussions.saveDraft(c.outsider.actor, { key: k, body: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.discussions.getDraft(c.outsider.actor, k)).rejects.toMatchObject({ kind: 'not_found' });
      await expect(app.discussions.saveDraft(visitor, { key: k, body: 'x' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    }
    await expect(app.discussions.saveDraft(c.anne.actor, { key: 'other:1', body: 'x' })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('search finds discussions and comments with snippets, only where the searcher may read', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Assemblée générale', body: 'Ordre du jour: budget de la monnaie locale' });
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'Je propose un **budget** participatif' });
    const o = await makeCircle(app, 'open');
    await app.discussions.create(o.anne.actor, { groupSlug: o.g.slug, title: 'Budget ouvert', body: 'public budget' });

    const mine = await app.discussions.search(c.bert.actor, { q: 'budget' });
    expect(mine.hits.map((h) => h.kind).sort()).toEqual(['comment', 'discussion', 'discussion']);
    const hit = mine.hits.find((h) => h.kind === 'comment')!;
    expect(hit).toMatchObject({ title: 'Assemblée générale', discussionId: d.id, group: { slug: c.g.slug } });
    expect(hit.url).toBe(`/d/${d.id}?comment=${hit.id}#c-${hit.id}`);
    expect(hit.snippet.some((s) => s.hit && /budget/i.test(s.text))).toBe(true);

    for (const who of [c.outsider.actor, visitor]) {
      const res = await app.discussions.search(who, { q: 'budget' });
      expect(res.hits.map((h) => h.title)).toEqual(['Budget ouvert']);
    }
    expect((await app.discussions.search(c.outsider.actor, { q: 'monnaie' })).hits).toEqual([]);
    // Edits re-index; deletes remove.
    await app.discussions.edit(c.anne.actor, { discussionId: d.id, title: 'Assemblée générale', body: 'Ordre du jour: cotisations' });
    expect((await app.discussions.search(c.bert.actor, { q: 'monnaie' })).hits).toEqual([]);
    expect((await app.discussions.search(c.bert.actor, { q: 'cotisations' })).hits).toHaveLength(1);
    await app.discussions.remove(c.anne.actor, { discussionId: d.id });
    expect((await app.discussions.search(c.bert.actor, { q: 'budget' })).hits.map((h) => h.title)).toEqual(['Budget ouvert']);
  });

  it('search never fails on query syntax and pages by keyset', async () => {
    for (let i = 0; i < 5; i++) {
      app.clock.advance(1000);
      await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: `Compost ${i}`, body: 'bac à compost' });
    }
    for (const q of ['"', 'AND OR NOT', 'compost*', '(compost', 'NEAR(a b)', '-', "l'eau", '  ']) await app.discussions.search(c.anne.actor, { q });
    expect(ftsQuery('a "b c')).toBe('("a") AND ("b") AND ("c")');
    const p1 = await app.discussions.search(c.anne.actor, { q: 'compost', limit: 3 });
    expect(p1.hits.map((h) => h.title)).toEqual(['Compost 4', 'Compost 3', 'Compost 2']);
    const p2 = await app.discussions.search(c.anne.actor, { q: 'compost', limit: 3, after: p1.next });
    expect(p2.hits.map((h) => h.title)).toEqual(['Compost 1', 'Compost 0']);
    expect(p2.next).toBeNull();
  });

  it('home: groups with unread counts, recent mentions and recent discussions; open groups for visitors', async () => {
    const other = await makeGroup(app, { visibility: 'secret', createdBy: c.admin.id, name: 'Secret circle' });
    await addMember(app, other.id, c.bert.id);
    const bert = await actorOf(app, c.bert.id);
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Hello', body: `@${c.bert.handle} welcome` });
    app.clock.advance(1000);
    const r = await app.discussions.reply(c.anne.actor, { discussionId: d.id, body: `@${c.bert.handle} again` });
    const h = await app.discussions.home(bert);
    if (h.kind !== 'member') throw new Error('expected a member home');
    expect(h.groups.map((g) => [g.slug, g.unreadCount])).toEqual(expect.arrayContaining([[c.g.slug, 2], [other.slug, 0]]));
    expect(h.mentions.map((m) => m.url)).toEqual([`/d/${d.id}?comment=${r.id}#c-${r.id}`, `/d/${d.id}`]);
    expect(h.mentions[0].actor.name).toBe('Anne Peeters');
    expect(h.recent.map((x) => [x.title, x.newCount])).toEqual([['Hello', 2]]);

    const v = await app.discussions.home(visitor);
    if (v.kind !== 'visitor') throw new Error('expected a visitor home');
    expect(v.openGroups).toEqual([]);
    const open = await makeGroup(app, { visibility: 'open', createdBy: c.admin.id, name: 'Open house' });
    const v2 = await app.discussions.home(visitor);
    expect(v2.kind === 'visitor' && v2.openGroups.map((g) => g.slug)).toEqual([open.slug]);
  });

  it('attachments: images and files on discussions and comments, hidden from non-members', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c80' } }).png().toBuffer();
    const image = new File([new Uint8Array(png)], 'photo.png', { type: 'image/png' });
    const pdf = new File([new TextEncoder().encode('%PDF-1.4 minimal')], 'statuts.pdf', { type: 'application/pdf' });
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'With files', body: 'see attached', files: [image, pdf, new File([], '')] });
    expect(d.files.map((f) => [f.name, f.isImage, !!f.previewUrl])).toEqual([['photo.png', true, true], ['statuts.pdf', false, false]]);
    const r = await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'and mine', files: new File([new TextEncoder().encode('notes')], 'notes.txt', { type: 'text/plain' }) });
    expect(r.files.map((f) => f.name)).toEqual(['notes.txt']);
    const t = await app.discussions.open(c.anne.actor, { discussionId: d.id });
    expect(t.discussion.files).toHaveLength(2);
    expect(t.comments[0].files.map((f) => f.name)).toEqual(['notes.txt']);
    await expect(app.files.open(c.outsider.actor, d.files[0].id, 'original')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.files.open(c.bert.actor, d.files[0].id, 'preview')).resolves.toMatchObject({ mime: 'image/webp' });
    const bad = new File([new TextEncoder().encode('MZ not allowed')], 'virus.exe', { type: 'application/x-msdownload' });
    await expect(app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'x', files: [bad] })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'files', code: 'file_type' }] });
    await app.discussions.removeComment(c.bert.actor, { commentId: r.id });
    expect((await app.discussions.open(c.anne.actor, { discussionId: d.id })).comments[0].files).toEqual([]);
    await expect(app.discussions.create(c.outsider.actor, { groupSlug: c.g.slug, title: 'x', body: 'y', files: [pdf] })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await app.db.selectFrom('files').select('id').where('ownerId', '=', c.outsider.id).execute()).toEqual([]);
  });
});
