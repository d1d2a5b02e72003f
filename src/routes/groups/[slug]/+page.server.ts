import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/** A group's page: cover, description, links, working groups, and what the actor may do. */
export const load: PageServerLoad = async (event) => loadOr404(event, () => event.locals.app.groups.overview(event.locals.actor, event.params.slug));

export const actions: Actions = {
  join: async (event) =>
    formAction(event, async () => {
      await event.locals.app.groups.join(event.locals.actor, event.params.slug);
      return { ok: event.locals.t('groups.joined') };
    }),
  request: async (event) => {
    const f = await formObject(event.request);
    return formAction(
      event,
      async () => {
        await event.locals.app.groups.requestJoin(event.locals.actor, event.params.slug, f);
        return { ok: event.locals.t('groups.request_sent') };
      },
      f,
    );
  },
  leave: async (event) =>
    formAction(event, async () => {
      await event.locals.app.groups.leave(event.locals.actor, event.params.slug);
      return { ok: event.locals.t('groups.left') };
    }),
};
