import type { Tx } from '../../db/connect';

/** Slugs that name pages under /groups, so no group may take them. */
export const RESERVED_SLUGS = new Set(['new', 'invite', 'api', 'edit']);

/** ASCII a-z0-9 and single hyphens, as in /groups/zinne-bruxelles. */
export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "Monnaie locale à Bruxelles!" → "monnaie-locale-a-bruxelles". */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/g, '') || 'group'
  );
}

/** A free slug from a name: the slug itself, else `slug-2`, `slug-3`, … */
export async function uniqueSlug(db: Tx, name: string): Promise<string> {
  const base = slugify(name);
  for (let i = 1; i < 1000; i++) {
    const s = i === 1 ? base : `${base}-${i}`;
    if (RESERVED_SLUGS.has(s)) continue;
    const taken = await db.selectFrom('groups').select('id').where('slug', '=', s).executeTakeFirst();
    if (!taken) return s;
  }
  return `${base}-${Date.now().toString(36)}`;
}
