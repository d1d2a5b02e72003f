import { inTx, type Deps } from '../../kernel/deps';
import { recordEvent } from '../../kernel/outbox';
import { notFound } from '../../kernel/errors';
import { markdownToText } from '../../markdown';
import { can, groupSeenBy, isUser, type Actor } from '../../policy';
import type { Visibility } from '../../db/schema';

/** One step of the administrator's checklist, ticked when done. */
export type ChecklistItem = { key: 'group' | 'invite' | 'mail'; done: boolean };
/** A group a member could join from home: open ones in one tap, closed ones on request. */
export type SuggestedGroup = { id: string; slug: string; name: string; description: string; visibility: Visibility; memberCount: number; joinable: boolean };
export type FirstSteps = {
  /** For administrators until they put it away: what makes the association usable. */
  checklist: { items: ChecklistItem[]; mail: { smtp: boolean; mailDomain: string; outbox: string } } | null;
  /** For a member in no group yet (as after an invitation to the association): groups to join. */
  suggestions: SuggestedGroup[];
};

const SUGGESTED = 6;

/**
 * What home offers as a next step: after setup, the administrator's checklist (create a
 * group, invite people, set up mail); for a member in no group, the groups they could join.
 */
export function createFirstSteps(deps: Deps) {
  const { db, clock, config } = deps;

  async function checklist(actor: Actor): Promise<FirstSteps['checklist']> {
    if (!can(actor, 'instance.admin')) return null;
    const instance = await db.selectFrom('instance').select('checklistDismissedAt').where('id', '=', 1).executeTakeFirst();
    if (!instance || instance.checklistDismissedAt) return null;
    const group = await db.selectFrom('groups').select('id').limit(1).executeTakeFirst();
    // Invited: an invitation made, or anyone else has an account.
    const invitation = await db.selectFrom('invitations').select('id').limit(1).executeTakeFirst();
    const others = await db.selectFrom('users').select('id').limit(2).execute();
    return {
      items: [
        { key: 'group', done: !!group },
        { key: 'invite', done: !!invitation || others.length > 1 },
        { key: 'mail', done: !!config.smtpUrl },
      ],
      mail: { smtp: !!config.smtpUrl, mailDomain: config.mailDomain, outbox: '/admin/outbox' },
    };
  }

  async function suggestions(actor: Actor): Promise<SuggestedGroup[]> {
    if (!isUser(actor) || actor.roles.size > 0) return [];
    const rows = await db
      .selectFrom('groups')
      .select(['id', 'slug', 'name', 'description', 'visibility', 'memberCount'])
      .where('visibility', 'in', ['open', 'closed'])
      .where((eb) => groupSeenBy(actor, eb, 'groups.id', 'groups.visibility'))
      .orderBy('memberCount', 'desc')
      .orderBy('name')
      .limit(50)
      .execute();
    return rows
      .map((g) => ({ ...g, memberCount: Number(g.memberCount), joinable: can(actor, 'group.join', { id: g.id, visibility: g.visibility, parentId: null }) }))
      .filter((g) => g.joinable || can(actor, 'group.requestJoin', { id: g.id, visibility: g.visibility, parentId: null }))
      .sort((a, b) => Number(b.joinable) - Number(a.joinable))
      .slice(0, SUGGESTED)
      .map((g) => {
        const text = markdownToText(g.description).replace(/\s+/g, ' ').trim();
        return { ...g, description: text.length > 160 ? `${text.slice(0, 159)}…` : text };
      });
  }

  return {
    /** Home's next steps for the actor (nothing for visitors). */
    async firstSteps(actor: Actor): Promise<FirstSteps> {
      return { checklist: await checklist(actor), suggestions: await suggestions(actor) };
    },

    /** Puts the checklist away for every administrator (they can still do each step from Administration). */
    async dismissChecklist(actor: Actor): Promise<void> {
      if (!can(actor, 'instance.admin')) notFound();
      await inTx(deps, async (tx) => {
        await tx.updateTable('instance').set({ checklistDismissedAt: clock.now().toISOString() }).where('id', '=', 1).execute();
        await recordEvent(tx, { type: 'instance.checklist_dismissed', actorId: isUser(actor) ? actor.userId : null }, clock.now());
      });
    },
  };
}
