import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

/** The member's private calendar feed: its address (to subscribe from a calendar application), and a new one. */
export const load: PageServerLoad = (event) => loadOr404(event, async () => ({ ...(await event.locals.app.decide.myFeed(event.locals.actor)), baseUrl: event.locals.app.config.baseUrl }));

export const actions: Actions = {
  renew: (event) =>
    formAction(event, async () => {
      await event.locals.app.decide.renewFeed(event.locals.actor);
      return { ok: event.locals.t('decide.feed.renewed') };
    }),
};
