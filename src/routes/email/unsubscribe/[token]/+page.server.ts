import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

/**
 * The link in a mail's List-Unsubscribe header. GET only shows what would change (mail
 * scanners open links); the button POSTs. Mail providers' one-click POST (RFC 8058) comes
 * without an Origin header and is answered by the production entry (mail-in/one-click.ts).
 */
export const load: PageServerLoad = async (event) => ({
  info: await loadOr404(event, () => event.locals.app.email.unsubscribeInfo({ token: event.params.token })),
});

export const actions: Actions = {
  /** Named (`?/confirm`): a POST to the bare URL is the mail provider's one-click request. */
  confirm: async (event) => formAction(event, async () => ({ done: (await event.locals.app.email.unsubscribe({ token: event.params.token })).ok })),
};
