/**
 * Where the app shell's navigation leads, which destination a page belongs to, and where its
 * back button goes without history. Pure functions of the address, so the server renders the
 * same shell as the browser and the rules are tested without a page.
 */
export type Destination = 'home' | 'groups' | 'chats' | 'tasks' | 'me';

/** The five destinations of the bottom navigation (phones) and the side bar (desktop), in order. */
export const destinations: { id: Destination; href: string }[] = [
  { id: 'home', href: '/' },
  { id: 'groups', href: '/groups' },
  { id: 'chats', href: '/messages' },
  { id: 'tasks', href: '/tasks' },
  { id: 'me', href: '/profile' },
];

/**
 * The destination a page belongs to, to mark it current: a group's chat counts as Chats (it is
 * a conversation), the rest of a group and its discussions as Groups.
 */
export function destinationOf(pathname: string): Destination | null {
  if (pathname === '/') return 'home';
  if (/^\/groups\/[^/]+\/chat(\/|$)/.test(pathname) || /^\/messages(\/|$)/.test(pathname)) return 'chats';
  if (/^\/(groups|d)(\/|$)/.test(pathname)) return 'groups';
  if (/^\/tasks(\/|$)/.test(pathname)) return 'tasks';
  if (/^\/profile(\/|$)/.test(pathname)) return 'me';
  return null;
}

/**
 * Where the back button leads when there is no history to go back to (a shared link, no
 * JavaScript): the page one level up. A top-level destination has none. A discussion goes to
 * its group's discussions when the group is known.
 */
export function backHref(pathname: string, groupSlug?: string | null): string | null {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (destinations.some((d) => d.href === path)) return null;
  if (/^\/d\/[^/]+/.test(path)) return groupSlug ? `/groups/${encodeURIComponent(groupSlug)}/discussions` : '/groups';
  if (/^\/(u|inbox|search|admin|login|register|forgot|invite|invitations)$/.test(path) || /^\/u\/[^/]+$/.test(path)) return '/';
  const up = path.slice(0, path.lastIndexOf('/')) || '/';
  return up;
}
