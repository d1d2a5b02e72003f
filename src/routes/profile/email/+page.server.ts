import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => ({
  settings: await loadOr404(event, () => event.locals.app.email.settings(event.locals.actor)),
  mailDomain: event.locals.app.config.mailDomain,
});

export const actions: Actions = {
  /** Default level and digest time. */
  save: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.email.saveSettings(event.locals.actor, f), f);
    if (res && 'status' in res) return res;
    redirect(303, '/profile/email?saved=1');
  },
  /** "Confirm my address": mails a link that clears the failing mark once opened. */
  confirmAddress: async (event) => {
    const res = await formAction(event, () => event.locals.app.email.requestAddressConfirmation(event.locals.actor));
    if (res && 'status' in res) return res;
    redirect(303, `/profile/email?sent=${res.sent ? 1 : 0}`);
  },
  /** One group's level. */
  group: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.email.saveGroupLevel(event.locals.actor, f), f);
    if (res && 'status' in res) return res;
    redirect(303, '/profile/email?saved=1');
  },
};
