import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';
import { clientContext, setSessionCookie } from '$lib/server/domain/accounts/cookie';

export const load: PageServerLoad = async ({ locals, params }) => ({
  state: await locals.app.accounts.inspectLink('reset', { token: params.token }),
});

/** Sets the new password, ends every other session and logs in here. */
export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, async () => {
      const s = await event.locals.app.accounts.resetPassword({ password: f.password, token: event.params.token }, clientContext(event));
      setSessionCookie(event.cookies, event.url, s);
      return null;
    });
    if (res) return res;
    redirect(303, '/');
  },
};
