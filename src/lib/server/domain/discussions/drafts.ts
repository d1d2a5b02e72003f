import type { Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import { notFound, unauthenticated } from '../../kernel/errors';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { discussionFacts, findDiscussion, findGroupById, groupFactsOf } from './discussions.repo';
import { DraftInput, DraftKey } from './schemas';

export type DraftView = { key: string; title: string; body: string; updatedAt: string };

/**
 * Drafts: what a member is typing in the new-discussion form ('discussion:<groupId>') or a
 * comment form ('comment:<discussionId>'), saved on the server so it survives a closed tab
 * or a link followed away. Only someone who may post there may keep a draft there.
 */
async function authorizeKey(db: Tx, actor: Actor, key: string): Promise<void> {
  const [kind, id] = key.split(':');
  if (kind === 'discussion') {
    const g = (await findGroupById(db, id)) ?? notFound();
    authorize(actor, 'group.read', groupFactsOf(g));
    authorize(actor, 'discussion.create', groupFactsOf(g));
  } else {
    const d = (await findDiscussion(db, id)) ?? notFound();
    authorize(actor, 'discussion.read', discussionFacts(d));
    authorize(actor, 'discussion.reply', discussionFacts(d));
  }
}

export function createDrafts(deps: Deps) {
  const { db, clock } = deps;
  return {
    /** The actor's draft under `key`, or null. */
    async getDraft(actor: Actor, rawKey: unknown): Promise<DraftView | null> {
      const key = parse(DraftKey, rawKey).toLowerCase();
      if (!isUser(actor)) return unauthenticated();
      await authorizeKey(db, actor, key);
      const d = await db.selectFrom('drafts').select(['key', 'title', 'body', 'updatedAt']).where('userId', '=', actor.userId).where('key', '=', key).executeTakeFirst();
      return d ?? null;
    },
    /** Saves (or, when empty, removes) the actor's draft under `key`. */
    async saveDraft(actor: Actor, raw: unknown): Promise<DraftView | null> {
      const input = parse(DraftInput, raw);
      const key = input.key.toLowerCase();
      if (!isUser(actor)) return unauthenticated();
      await authorizeKey(db, actor, key);
      if (!input.title.trim() && !input.body.trim()) {
        await db.deleteFrom('drafts').where('userId', '=', actor.userId).where('key', '=', key).execute();
        return null;
      }
      const now = clock.now().toISOString();
      await db
        .insertInto('drafts')
        .values({ userId: actor.userId, key, title: input.title, body: input.body, updatedAt: now })
        .onConflict((oc) => oc.columns(['userId', 'key']).doUpdateSet({ title: input.title, body: input.body, updatedAt: now }))
        .execute();
      return { key, title: input.title, body: input.body, updatedAt: now };
    },
    /** Discards the actor's draft under `key`. */
    async deleteDraft(actor: Actor, rawKey: unknown): Promise<void> {
      const key = parse(DraftKey, rawKey).toLowerCase();
      if (!isUser(actor)) return unauthenticated();
      await db.deleteFrom('drafts').where('userId', '=', actor.userId).where('key', '=', key).execute();
    },
  };
}

/** Removes a draft inside a posting transaction. */
export async function dropDraft(tx: Tx, userId: string, key: string) {
  await tx.deleteFrom('drafts').where('userId', '=', userId).where('key', '=', key.toLowerCase()).execute();
}
