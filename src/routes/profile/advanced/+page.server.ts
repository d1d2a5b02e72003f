import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { can } from '$lib/server/policy';

/** Profile → Advanced: personal access tokens (scope, expiry, last use, revoke). */
export const load: PageServerLoad = async (event) => ({
  tokens: await loadOr404(event, () => event.locals.app.accounts.listTokens(event.locals.actor)),
  canCreateAdminToken: can(event.locals.actor, 'account.token.admin'),
});

export const actions: Actions = {
  /** The new token's secret is in this one response only. */
  create: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => ({ created: await event.locals.app.accounts.createToken(event.locals.actor, f) }), f);
  },
  revoke: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.accounts.revokeToken(event.locals.actor, f);
      return { ok: event.locals.t('accounts.tokens.revoked') };
    });
  },
};
