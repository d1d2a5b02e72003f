import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

export const load: PageServerLoad = async (event) => ({
  settings: await loadOr404(event, () => event.locals.app.email.groupSettings(event.locals.actor, { groupSlug: event.params.slug })),
  mailDomain: event.locals.app.config.mailDomain,
});

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.email.saveGroupLevel(event.locals.actor, { ...f, groupSlug: event.params.slug }), f);
    if (res && 'status' in res) return res;
    redirect(303, safeRedirect(`/groups/${event.params.slug}/email?saved=1`, event.url));
  },
};
