import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction } from '$lib/server/http';
import { clientContext, setSessionCookie } from '$lib/server/domain/accounts/cookie';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** Opening the link only shows a button: mail scanners that fetch links do not use it up. */
export const load: PageServerLoad = async ({ locals, params }) => ({
  state: await locals.app.accounts.inspectLink('magic', { token: params.token }),
});

export const actions: Actions = {
  /** Logs in, then goes where the member was heading when they asked for the link (`?next=`, a path on this site). */
  default: async (event) => {
    const res = await formAction(event, async () => {
      const s = await event.locals.app.accounts.loginWithMagicLink({ token: event.params.token }, clientContext(event));
      setSessionCookie(event.cookies, event.url, s);
      return null;
    });
    if (res) return res;
    redirect(303, safeRedirect(event.url.searchParams.get('next'), event.url));
  },
};
