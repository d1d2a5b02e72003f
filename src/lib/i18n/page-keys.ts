import type { Dictionary } from './core';

/** Per route directory (`/`, `/d/[id]`), the keys its page and its layout and error page name (built by ./build.ts). */
export type PageTextsMap = Record<string, { page?: string[]; layout?: string[] }>;

/**
 * The keys a route needs (`event.route.id`; null when no route matched): its page, and the
 * layouts and error pages of every directory from the root down to it.
 */
export function routeKeys(map: PageTextsMap, routeId: string | null): string[] {
  const all = new Set<string>();
  const parts = (routeId ?? '').split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) for (const k of map[`/${parts.slice(0, i).join('/')}`]?.layout ?? []) all.add(k);
  if (routeId !== null) for (const k of map[`/${parts.join('/')}`]?.page ?? []) all.add(k);
  return [...all];
}

/**
 * Before the server renders `key` on a page: a text the page's own do not hold (a key chosen
 * by data) is copied into them from the whole language, so the browser, which gets the page's
 * texts once the page is rendered, hydrates what the server wrote.
 */
export function addMissingText(texts: Dictionary, complete: Dictionary | undefined, key: string): void {
  if (key in texts || !complete) return;
  const m = complete[key];
  if (m !== undefined) texts[key] = m;
}
