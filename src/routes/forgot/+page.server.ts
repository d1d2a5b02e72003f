import type { Actions } from './$types';
import { formAction, formObject } from '$lib/server/http';
import { clientContext } from '$lib/server/domain/accounts/cookie';

/** Asks for a reset link; the same answer whether the address has an account or not. */
export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.accounts.requestPasswordReset(f, clientContext(event));
      return { sent: true };
    }, { email: f.email });
  },
};
