import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

/**
 * The "confirm my address" link, mailed to a member whose address bounced. GET shows whose
 * address it is; the button POSTs and clears the failing mark (no login needed: receiving
 * the link is the proof).
 */
export const load: PageServerLoad = async (event) => ({
  link: await loadOr404(event, () => event.locals.app.email.addressLinkInfo({ token: event.params.token })),
});

export const actions: Actions = {
  confirm: async (event) => formAction(event, async () => ({ confirmed: await event.locals.app.email.confirmAddress({ token: event.params.token }) })),
};
