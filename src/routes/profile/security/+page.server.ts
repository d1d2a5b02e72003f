import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { clearSessionCookie, sessionToken } from '$lib/server/domain/accounts/cookie';

export const load: PageServerLoad = async (event) => ({
  sessions: await loadOr404(event, () => event.locals.app.accounts.listSessions(event.locals.actor, sessionToken(event.cookies))),
});

export const actions: Actions = {
  /** Changes the password, ends every other session (this one stays) and revokes every API token. */
  password: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.accounts.changePassword(event.locals.actor, f, sessionToken(event.cookies));
      return { ok: event.locals.t('accounts.security.changed') };
    });
  },
  revoke: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.accounts.revokeSession(event.locals.actor, f);
      return { ok: event.locals.t('accounts.security.revoked') };
    });
  },
  /** Ends every session (this one too) and revokes every API token, then asks to log in again. */
  everywhere: async (event) => {
    const res = await formAction(event, () => event.locals.app.accounts.logOutEverywhere(event.locals.actor));
    if (res) return res;
    clearSessionCookie(event.cookies, event.url);
    redirect(303, '/login?ended=everywhere');
  },
};
