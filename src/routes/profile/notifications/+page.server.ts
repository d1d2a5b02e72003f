import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { preferencesFromForm } from '$lib/server/domain/notifications/prefs';

export const load: PageServerLoad = async (event) => ({
  prefs: await loadOr404(event, () => event.locals.app.notifications.preferences(event.locals.actor)),
});

export const actions: Actions = {
  /** Every reason × channel choice and the quiet hours, in one form. */
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.notifications.savePreferences(event.locals.actor, preferencesFromForm(f)), f);
    if (res && 'status' in res) return res;
    redirect(303, '/profile/notifications?saved=1');
  },
};
