import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = (event) =>
  loadOr404(event, () => event.locals.app.discussions.listForGroup(event.locals.actor, { groupSlug: event.params.slug, after: event.url.searchParams.get('after') }));

export const actions: Actions = {
  /** "Mark all as read" for this group. */
  markAllRead: (event) =>
    formAction(event, async () => {
      await event.locals.app.discussions.markAllRead(event.locals.actor, { groupSlug: event.params.slug });
      return { ok: event.locals.t('discussions.marked_read') };
    }),
};
