import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/** Pending requests to join (group.manage): approve or refuse. */
export const load: PageServerLoad = async (event) => loadOr404(event, () => event.locals.app.groups.requests(event.locals.actor, event.params.slug));

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      const r = await event.locals.app.groups.decide(event.locals.actor, event.params.slug, f);
      return { ok: r.status === 'approved' ? event.locals.t('groups.requests.approved', { name: String(f.name ?? '') }) : event.locals.t('groups.requests.refused') };
    });
  },
};
