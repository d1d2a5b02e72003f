import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';
import { clientContext, setSessionCookie } from '$lib/server/domain/accounts/cookie';

export const load: PageServerLoad = async ({ locals }) => {
  if (locals.user) redirect(303, '/');
  return { open: await locals.app.accounts.registrationOpen() };
};

/** Open registration; the language guessed from the browser becomes the account's. */
export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, async () => {
      const s = await event.locals.app.accounts.register({ ...f, locale: event.locals.locale }, clientContext(event));
      setSessionCookie(event.cookies, event.url, s);
      return null;
    }, { name: f.name, email: f.email });
    if (res) return res;
    redirect(303, '/');
  },
};
