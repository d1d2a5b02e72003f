import type { Tx } from '../../db/connect';
import type { Group } from '../../db/schema';
import { notFound } from '../../kernel/errors';
import type { GroupId } from '../../kernel/ids';
import { authorize, type Actor, type GroupFacts } from '../../policy';

/** A group as other features see it. Ids are branded; counters are maintained on write. */
export type GroupRef = Omit<Group, 'id' | 'parentId'> & { id: GroupId; parentId: GroupId | null };

/** The policy facts of a group (what `policy/rules.ts` needs), from any group row. */
export function groupFacts(g: { id: string; visibility: GroupFacts['visibility']; parentId: string | null }): GroupFacts {
  return { id: g.id, visibility: g.visibility, parentId: g.parentId };
}

/** Reads one group row by slug, or null. No permission check: callers authorize. */
export async function findGroupBySlug(db: Tx, slug: string): Promise<GroupRef | null> {
  if (typeof slug !== 'string' || slug.length > 100) return null;
  const row = await db.selectFrom('groups').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  return (row as GroupRef | undefined) ?? null;
}

/** Reads one group row by id, or null. No permission check: callers authorize. */
export async function findGroupById(db: Tx, id: string): Promise<GroupRef | null> {
  const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
  return (row as GroupRef | undefined) ?? null;
}

/**
 * The group behind a slug, if the actor may know it exists (`group.see`); "not found"
 * otherwise, with the same answer for a secret group and a missing one.
 */
export async function groupSeenBySlug(db: Tx, actor: Actor, slug: string): Promise<GroupRef> {
  const g = (await findGroupBySlug(db, slug)) ?? notFound();
  authorize(actor, 'group.see', groupFacts(g));
  return g;
}
