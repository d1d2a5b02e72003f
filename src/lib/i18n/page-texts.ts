import pages from 'virtual:ruche-texts/pages';
import { messagesOf, type Dictionary, type Locale } from './index';
import { routeKeys } from './page-keys';

/*
 * The texts a page carries to the browser, in its data: those its route's files (the page,
 * its layouts and error pages) and their imports name, in the member's language, found at
 * build time (./build.ts). A discussion page carries about a hundred texts instead of the
 * whole dictionary (some 20 KB compressed, most of it mail, administration and other pages).
 * Texts the server renders beyond these are added while it renders (./page-keys.ts).
 */

const keysByRoute = new Map<string, string[]>();

/** A fresh dictionary of the route's texts in `locale` (it may grow while the page renders); the whole language in development, where the build has not looked at the pages. */
export function pageTexts(locale: Locale, routeId: string | null): Dictionary {
  const all = messagesOf(locale);
  if (!pages) return { ...all };
  const id = routeId ?? '\0';
  let keys = keysByRoute.get(id);
  if (!keys) keysByRoute.set(id, (keys = routeKeys(pages, routeId)));
  const texts: Dictionary = {};
  for (const k of keys) if (all[k] !== undefined) texts[k] = all[k];
  return texts;
}
