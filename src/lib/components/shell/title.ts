import type { T } from '$lib/i18n';
import { destinationOf } from './nav';

type Loose = {
  chat?: { room?: { title?: string | null; group?: { name: string; slug: string } | null; people?: { id: string; name: string }[] } };
  discussion?: { group?: { name: string; slug: string } };
  group?: { name?: string; slug?: string };
};

/**
 * The top bar's title and the group a page is in, read from the page's own data: a chat's
 * group or people, a discussion's or a group page's group, else the section's name.
 */
export function shellTitle(pathname: string, data: unknown, me: string | null, instanceName: string, t: T): { title: string; groupSlug: string | null } {
  const d = (data ?? {}) as Loose;
  const room = d.chat?.room;
  if (room?.group) return { title: room.group.name, groupSlug: room.group.slug };
  if (room) return { title: room.title || (room.people ?? []).filter((p) => p.id !== me).map((p) => p.name).join(', '), groupSlug: null };
  if (d.discussion?.group) return { title: d.discussion.group.name, groupSlug: d.discussion.group.slug };
  if (d.group?.name && pathname.startsWith('/groups/')) return { title: d.group.name, groupSlug: d.group.slug ?? null };
  // A group's page whose data carries the group one level down (its board, task list, poll, event…).
  const slug = /^\/groups\/([^/]+)\//.exec(pathname)?.[1];
  if (slug) {
    for (const v of Object.values(d as Record<string, unknown>)) {
      const g = (v as { group?: { name?: unknown; slug?: unknown } } | null)?.group;
      if (g && typeof g.name === 'string' && g.slug === decodeURIComponent(slug)) return { title: g.name, groupSlug: g.slug };
    }
  }
  const section: Record<string, string> = { groups: 'nav.groups', chats: 'chat.messagesTitle', tasks: 'shell.tasks', me: 'nav.profile' };
  const dest = destinationOf(pathname);
  if (dest && section[dest]) return { title: t(section[dest]), groupSlug: null };
  for (const [prefix, key] of [['/inbox', 'inbox.title'], ['/search', 'nav.search'], ['/admin', 'nav.admin']] as const)
    if (pathname === prefix || pathname.startsWith(prefix + '/')) return { title: t(key), groupSlug: null };
  return { title: instanceName, groupSlug: null };
}
