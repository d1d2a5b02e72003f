import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => ({
  devices: await loadOr404(event, () => event.locals.app.push.devices(event.locals.actor)),
});

export const actions: Actions = {
  rename: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.push.rename(event.locals.actor, f), f);
    if (res && 'status' in res) return res;
    redirect(303, '/profile/devices?saved=1');
  },
  remove: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.push.remove(event.locals.actor, f));
    if (res && 'status' in res) return res;
    redirect(303, '/profile/devices?removed=1');
  },
};
