import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/policy';

export const load: LayoutServerLoad = async ({ locals }) => {
  const instance = await locals.app.instance.get();
  // Unread direct messages for the navigation's badge (one indexed query; 0 for visitors).
  const directUnread = locals.user ? await locals.app.chat.directUnreadTotal(locals.actor) : 0;
  // The bell: unread notifications, a counter kept on write (one primary-key read).
  const inboxUnread = locals.user ? await locals.app.notifications.unread(locals.actor) : 0;
  return {
    user: locals.user ? { id: locals.user.id, name: locals.user.name, handle: locals.user.handle, avatarFileId: locals.user.avatarFileId } : null,
    locale: locals.locale,
    timeZone: locals.timeZone,
    instanceName: instance?.name ?? 'Ruche',
    openRegistration: instance?.openRegistration === 1,
    isAdmin: can(locals.actor, 'instance.admin'),
    directUnread,
    inboxUnread,
  };
};
