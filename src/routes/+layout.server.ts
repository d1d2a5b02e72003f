import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/policy';
import { pageTexts } from '$lib/i18n/page-texts';

export const load: LayoutServerLoad = async ({ locals, url, route, depends }) => {
  // Chats with unread messages, for the navigation's badge and home: counted again on every
  // navigation (read by the pathname) and when a chat notice arrives (`ruche:chats`).
  depends('ruche:chats');
  void url.pathname;
  const instance = await locals.app.instance.get();
  const chats = await locals.app.chat.unreadChats(locals.actor);
  // The bell: unread notifications, a counter kept on write (one primary-key read).
  const inboxUnread = locals.user ? await locals.app.notifications.unread(locals.actor) : 0;
  return {
    user: locals.user ? { id: locals.user.id, name: locals.user.name, handle: locals.user.handle, avatarFileId: locals.user.avatarFileId } : null,
    locale: locals.locale,
    // The texts of this page only, in the member's language: read again for each page.
    messages: pageTexts(locals.locale, route.id),
    timeZone: locals.timeZone,
    instanceName: instance?.name ?? 'Ruche',
    openRegistration: instance?.openRegistration === 1,
    isAdmin: can(locals.actor, 'instance.admin'),
    chats,
    inboxUnread,
  };
};
