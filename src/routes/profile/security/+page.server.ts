import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { sessionToken } from '$lib/server/domain/accounts/cookie';

export const load: PageServerLoad = async (event) => ({
  sessions: await loadOr404(event, () => event.locals.app.accounts.listSessions(event.locals.actor, sessionToken(event.cookies))),
});

export const actions: Actions = {
  /** Changes the password and ends every other session (this one stays). */
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
};
