import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { notFound, unauthenticated } from '../../kernel/errors';
import { newId, type DiscussionId } from '../../kernel/ids';
import { parse } from '../../kernel/validate';
import { recordEvent } from '../../kernel/outbox';
import { abilities, authorize, can, isUser, type Actor } from '../../policy';
import { createFilesService } from '../files/files.service';
import { excerptOf, markRead, reviseNotices } from '../notifications';
import { formFiles, uploadAll } from './attachments';
import { createComments, loadThread, type ThreadWindow } from './comments';
import { discussionFacts, discussionOr404, groupBySlugOr404, groupFactsOf, nextSeq, renderBody, usersById, type DiscussionRow } from './discussions.repo';
import { createDrafts, dropDraft } from './drafts';
import { createLive } from './live';
import { createHome } from './home';
import { createMentions, mentionedIds } from './mentions';
import { reactionsFor } from './reactions';
import { createReactions } from './reactions';
import { countPosted, createReads, forgetUnread, markDiscussionRead, newCounts, readMarkOf } from './reads';
import { CreateDiscussionInput, DiscussionRef, EditDiscussionInput, ListInput, ModerateInput, OpenInput, PreviewInput } from './schemas';
import { createSearch, indexItem, unindexDiscussion } from './search';
import { presentDiscussion, presentSummary, type DiscussionSummary, type DiscussionView } from './views';

export type { DiscussionView, DiscussionSummary, CommentView, ReactionView } from './views';
export { REACTIONS } from './schemas';


const CreateForm = CreateDiscussionInput.extend({ files: formFiles });
const listCursor = (s: string | null | undefined) => {
  const [at, id] = (s ?? '').split('|');
  return at && id ? { at, id } : null;
};

/**
 * Discussions of a group and their comments, unread tracking, mentions, reactions, drafts
 * and search. Every function takes the acting member first and unvalidated input second;
 * every write is one transaction with its event.
 */
export function createDiscussionsService(deps: Deps) {
  const { db, clock } = deps;
  const files = createFilesService(deps);

  /** A discussion as the actor sees it, without touching read marks. */
  async function view(actor: Actor, d: DiscussionRow): Promise<DiscussionView> {
    const users = await usersById(db, [d.authorId]);
    const reactions = (await reactionsFor(db, actor, [d.id])).get(d.id) ?? [];
    const all = d.deletedAt ? [] : await files.forDiscussion(d.id);
    const n = (await newCounts(db, actor, [d])).get(d.id) ?? (isUser(actor) && actor.roles.has(d.groupId) ? 0 : null);
    return presentDiscussion(d, users, { newCount: n, reactions, files: all.filter((f) => !f.commentId) });
  }

  const service = {
    /** Starts a discussion in a group (members only), with its attachments and mentions. */
    async create(actor: Actor, raw: unknown): Promise<DiscussionView> {
      const input = parse(CreateForm, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'discussion.create', groupFactsOf(g));
      if (!isUser(actor)) return unauthenticated();
      const uploaded = await uploadAll(files, actor, input.files, g.id);
      const id = newId<DiscussionId>();
      // Sent twice with the same key: the first discussion, nothing written (and this try's uploads dropped).
      const first = await once(deps, { userId: actor.userId, key: input.key, scope: 'discussion.create' }, async (tx) => {
        const now = clock.now().toISOString();
        const seq = await nextSeq(tx, g.id, now);
        await tx
          .insertInto('discussions')
          .values({ id, groupId: g.id, authorId: actor.userId, title: input.title, body: input.body, bodyHtml: await renderBody(tx, input.body), seq, lastSeq: seq, commentCount: 0, pinnedAt: null, lockedAt: null, createdAt: now, editedAt: null, deletedAt: null, lastActivityAt: now })
          .execute();
        await tx.updateTable('groups').set((eb) => ({ discussionCount: eb('discussionCount', '+', 1) })).where('id', '=', g.id).execute();
        await countPosted(tx, g.id, actor.userId);
        await files.attach(tx, [...input.fileIds, ...uploaded], { ownerId: actor.userId, groupId: g.id, discussionId: id });
        await indexItem(tx, { docId: id, kind: 'discussion', groupId: g.id, discussionId: id, title: input.title, body: input.body, createdAt: now });
        const d = (await discussionOr404(tx, id)) as DiscussionRow;
        const mentioned = await mentionedIds(tx, input.body, actor.userId);
        await dropDraft(tx, actor.userId, `discussion:${d.groupId}`);
        await recordEvent(tx, { type: 'discussion.started', groupId: g.id, actorId: actor.userId, data: { discussionId: id, seq, title: input.title, mentioned } }, clock.now());
        return id;
      }).finally(() => files.dropUnlinked(uploaded));
      return view(actor, (await discussionOr404(db, first)) as DiscussionRow);
    },

    /**
     * A group's discussions: pinned ones first (on the first page), then latest activity,
     * keyset-paged on (lastActivityAt, id). "N new" is computed for the page's rows only.
     */
    async listForGroup(actor: Actor, raw: unknown) {
      const input = parse(ListInput, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      const after = listCursor(input.after);
      const base = () => db.selectFrom('discussions').selectAll().where('groupId', '=', g.id).where('deletedAt', 'is', null);
      const pinned = after ? [] : await base().where('pinnedAt', 'is not', null).orderBy('pinnedAt', 'desc').limit(50).execute();
      let q = base().where('pinnedAt', 'is', null);
      if (after) q = q.where((eb) => eb.or([eb('lastActivityAt', '<', after.at), eb.and([eb('lastActivityAt', '=', after.at), eb('id', '<', after.id)])]));
      const rows = await q.orderBy('lastActivityAt', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute();
      const page = rows.slice(0, input.limit);
      const all = [...pinned, ...page];
      const users = await usersById(db, all.map((r) => r.authorId));
      const counts = await newCounts(db, actor, all);
      const member = isUser(actor) && actor.roles.has(g.id);
      const present = (r: (typeof all)[number]): DiscussionSummary => presentSummary({ ...r, group: g }, users, member ? (counts.get(r.id) ?? 0) : null);
      const unread = member ? await db.selectFrom('memberships').select('unreadCount').where('groupId', '=', g.id).where('userId', '=', actor.userId).executeTakeFirst() : undefined;
      const last = page[page.length - 1];
      return {
        group: { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility, unreadCount: unread ? Number(unread.unreadCount) : null },
        pinned: pinned.map(present),
        items: page.map(present),
        next: rows.length > input.limit && last ? `${last.lastActivityAt}|${last.id}` : null,
        can: abilities(actor, ['discussion.create', 'group.read'], groupFactsOf(g)),
      };
    },

    /** What the new-discussion page needs: the group and the member's saved draft. */
    async newDiscussionForm(actor: Actor, raw: unknown) {
      const input = parse(z.object({ groupSlug: ListInput.shape.groupSlug }), raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'discussion.create', groupFactsOf(g));
      if (!isUser(actor)) return unauthenticated();
      const draft = await db.selectFrom('drafts').select(['key', 'title', 'body', 'updatedAt']).where('userId', '=', actor.userId).where('key', '=', `discussion:${g.id}`).executeTakeFirst();
      return { group: { id: g.id, slug: g.slug, name: g.name }, draftKey: `discussion:${g.id}`, draft: draft ?? null };
    },

    /**
     * Opens a discussion with its comments and marks everything shown as read. Returns the
     * seq of the first item that was unread before (for the #unread anchor).
     */
    async open(actor: Actor, raw: unknown) {
      const input = parse(OpenInput, raw);
      const d = await discussionOr404(db, input.discussionId);
      authorize(actor, 'discussion.read', discussionFacts(d));
      const mark = isUser(actor) && !d.deletedAt ? await readMarkOf(db, actor.userId, d) : null;
      // The window does not depend on read marks, so a live refresh never moves it: visitors
      // and non-members read from the top, members see the latest replies.
      let window: ThreadWindow;
      if (input.before !== undefined) window = { before: input.before };
      else if (input.after !== undefined) window = { from: input.after + 1 };
      else if (input.comment) {
        const c = await db.selectFrom('comments').select('seq').where('id', '=', input.comment).where('discussionId', '=', d.id).executeTakeFirst();
        window = c ? { from: Number(c.seq) } : { last: true };
      } else window = mark === null ? { from: 0 } : { last: true };
      const thread = d.deletedAt ? null : await loadThread(db, files, actor, d, window);
      let firstUnreadSeq: number | null = null;
      let jumpToComment: string | null = null;
      if (isUser(actor) && thread && mark !== null) {
        const userId = actor.userId;
        const shownFrom = thread.hasEarlier && thread.raw[0] ? Number(thread.raw[0].seq) : 0;
        const firstUnread =
          Number(d.seq) > mark && d.authorId !== userId
            ? { seq: Number(d.seq), id: null as string | null }
            : await db.selectFrom('comments').select(['seq', 'id']).where('discussionId', '=', d.id).where('seq', '>', mark).where('authorId', '<>', userId).orderBy('seq').limit(1).executeTakeFirst();
        const unreadShown = !!firstUnread && Number(firstUnread.seq) >= shownFrom;
        if (firstUnread && !unreadShown) jumpToComment = firstUnread.id;
        if (unreadShown) firstUnreadSeq = Number(firstUnread!.seq);
        // Read up to the last reply shown — unless unread replies lie before this page: they
        // stay unread until the member pages to them.
        const lastShown = thread.raw[thread.raw.length - 1];
        const upTo = firstUnread && !unreadShown ? mark : thread.hasLater && lastShown ? Number(lastShown.seq) : Number(d.lastSeq);
        // Nothing new shown and nothing to clear from the inbox: no write at all (a page view stays a pure read).
        const told = await db.selectFrom('notifications').select('id').where('userId', '=', userId).where('subjectId', '=', d.id).where('readAt', 'is', null).limit(1).executeTakeFirst();
        if (upTo > mark || told)
          await inTx(deps, async (tx) => {
            const now = clock.now().toISOString();
            // Opening the discussion reads what the member was told of it, on every device.
            await markRead(tx, userId, { subjectId: d.id }, now, deps.inboxLive);
            if (upTo > mark) await markDiscussionRead(tx, userId, d, upTo, now);
          });
      }
      const draft =
        isUser(actor) && can(actor, 'discussion.reply', discussionFacts(d))
          ? ((await db.selectFrom('drafts').select(['key', 'title', 'body', 'updatedAt']).where('userId', '=', actor.userId).where('key', '=', `comment:${d.id}`).executeTakeFirst()) ?? null)
          : null;
      const dv = await view(actor, d);
      return {
        discussion: { ...dv, newCount: dv.newCount === null ? null : 0 },
        comments: thread?.comments ?? [],
        /** Paging of replies: `?before=<earlier>` and `?after=<later>`, null at either end. */
        earlier: thread?.hasEarlier && thread.raw[0] ? Number(thread.raw[0].seq) : null,
        later: thread?.hasLater && thread.raw.length ? Number(thread.raw[thread.raw.length - 1].seq) : null,
        firstUnreadSeq,
        /** The first unread reply when it is before this page (for a "jump to first unread" link). */
        jumpToComment,
        draftKey: `comment:${d.id}`,
        draft,
        can: abilities(actor, ['discussion.reply', 'discussion.react', 'discussion.edit', 'discussion.delete', 'discussion.moderate'], discussionFacts(d)),
      };
    },

    /** One discussion (API), without changing read marks. */
    async get(actor: Actor, raw: unknown): Promise<DiscussionView> {
      const { discussionId } = parse(DiscussionRef, raw);
      const d = await discussionOr404(db, discussionId);
      authorize(actor, 'discussion.read', discussionFacts(d));
      return view(actor, d);
    },

    /** A discussion with its replies (API), without changing read marks. */
    async thread(actor: Actor, raw: unknown) {
      const { discussionId } = parse(DiscussionRef, raw);
      const d = await discussionOr404(db, discussionId);
      authorize(actor, 'discussion.read', discussionFacts(d));
      const t = d.deletedAt ? null : await loadThread(db, files, actor, d);
      return { discussion: await view(actor, d), comments: t?.comments ?? [] };
    },

    /** Marks a discussion read up to its last item (API: a client that showed it all). */
    async markRead(actor: Actor, raw: unknown): Promise<{ unreadCount: number | null }> {
      const { discussionId } = parse(DiscussionRef, raw);
      const d = await discussionOr404(db, discussionId);
      authorize(actor, 'discussion.read', discussionFacts(d));
      if (!isUser(actor) || d.deletedAt) return { unreadCount: null };
      await inTx(deps, (tx) => markDiscussionRead(tx, actor.userId, d, Number(d.lastSeq), clock.now().toISOString()));
      const m = await db.selectFrom('memberships').select('unreadCount').where('groupId', '=', d.groupId).where('userId', '=', actor.userId).executeTakeFirst();
      return { unreadCount: m ? Number(m.unreadCount) : null };
    },

    /** The author edits title and text; mentions new to this edit are notified once. */
    async edit(actor: Actor, raw: unknown): Promise<DiscussionView> {
      const input = parse(EditDiscussionInput, raw);
      await inTx(deps, async (tx) => {
        const d = await discussionOr404(tx, input.discussionId);
        authorize(actor, 'discussion.read', discussionFacts(d));
        authorize(actor, 'discussion.edit', discussionFacts(d));
        const now = clock.now().toISOString();
        const bodyHtml = await renderBody(tx, input.body);
        await tx.updateTable('discussions').set({ title: input.title, body: input.body, bodyHtml, editedAt: now }).where('id', '=', d.id).execute();
        await reviseNotices(tx, { itemId: d.id }, { excerpt: excerptOf(input.body), body: { text: input.body, html: bodyHtml } });
        if (input.title !== d.title) await reviseNotices(tx, { subjectId: d.id }, { title: input.title });
        await indexItem(tx, { docId: d.id, kind: 'discussion', groupId: d.groupId, discussionId: d.id, title: input.title, body: input.body, createdAt: d.createdAt });
        const mentioned = await mentionedIds(tx, input.body, d.authorId);
        await recordEvent(tx, { type: 'discussion.edited', groupId: d.groupId, actorId: isUser(actor) ? actor.userId : null, data: { discussionId: d.id, mentioned } }, clock.now());
      });
      return view(actor, await discussionOr404(db, input.discussionId));
    },

    /** Soft delete by its author or a moderator: the text is no longer served nor searchable. */
    async remove(actor: Actor, raw: unknown): Promise<{ ok: true; groupSlug: string }> {
      const { discussionId } = parse(DiscussionRef, raw);
      return inTx(deps, async (tx) => {
        const d = await discussionOr404(tx, discussionId);
        authorize(actor, 'discussion.read', discussionFacts(d));
        authorize(actor, 'discussion.delete', discussionFacts(d));
        const now = clock.now().toISOString();
        await forgetUnread(tx, d);
        await tx.updateTable('discussions').set({ deletedAt: now }).where('id', '=', d.id).execute();
        await tx.updateTable('groups').set((eb) => ({ discussionCount: eb('discussionCount', '-', 1) })).where('id', '=', d.groupId).where('discussionCount', '>', 0).execute();
        await unindexDiscussion(tx, d.id);
        await recordEvent(tx, { type: 'discussion.deleted', groupId: d.groupId, actorId: isUser(actor) ? actor.userId : null, data: { discussionId: d.id } }, clock.now());
        return { ok: true as const, groupSlug: d.group.slug };
      });
    },

    /** Pins (on) or unpins a discussion at the top of its group's list. Moderators only. */
    async setPinned(actor: Actor, raw: unknown) {
      return moderate(actor, raw, 'pinnedAt', ['discussion.pinned', 'discussion.unpinned']);
    },
    /** Locks (on) or unlocks a discussion: a locked one takes no new comments. Moderators only. */
    async setLocked(actor: Actor, raw: unknown) {
      return moderate(actor, raw, 'lockedAt', ['discussion.locked', 'discussion.unlocked']);
    },

    /** Renders markdown exactly as a post would be, for the editor's preview. */
    async preview(actor: Actor, raw: unknown): Promise<{ html: string }> {
      if (!isUser(actor)) return unauthenticated();
      const input = parse(PreviewInput, raw);
      return { html: await renderBody(db, input.body) };
    },

    ...createComments(deps, files),
    ...createReads(deps),
    ...createReactions(deps),
    ...createDrafts(deps),
    ...createSearch(deps),
    ...createMentions(deps),
    ...createHome(deps),
    ...createLive(deps),
  };

  async function moderate(actor: Actor, raw: unknown, column: 'pinnedAt' | 'lockedAt', types: ['discussion.pinned', 'discussion.unpinned'] | ['discussion.locked', 'discussion.unlocked']): Promise<DiscussionView> {
    const input = parse(ModerateInput, raw);
    await inTx(deps, async (tx) => {
      const d = await discussionOr404(tx, input.discussionId);
      authorize(actor, 'discussion.read', discussionFacts(d));
      authorize(actor, 'discussion.moderate', discussionFacts(d));
      if (d.deletedAt) notFound();
      const now = clock.now().toISOString();
      await tx.updateTable('discussions').set({ [column]: input.on ? now : null }).where('id', '=', d.id).execute();
      await recordEvent(tx, { type: input.on ? types[0] : types[1], groupId: d.groupId, actorId: isUser(actor) ? actor.userId : null, data: { discussionId: d.id } }, clock.now());
    });
    return view(actor, await discussionOr404(db, input.discussionId));
  }

  return service;
}
export type DiscussionsService = ReturnType<typeof createDiscussionsService>;
