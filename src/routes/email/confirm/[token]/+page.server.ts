import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

/**
 * "Did you send this?": the link mailed to a member when a mail in their name could not be
 * authenticated. GET only shows what would be posted (mail scanners open links); the
 * button POSTs, and the post goes through the discussions service as the member.
 */
export const load: PageServerLoad = async (event) => ({
  held: await loadOr404(event, () => event.locals.app.email.heldInfo({ token: event.params.token })),
});

export const actions: Actions = {
  post: async (event) => formAction(event, async () => ({ posted: await event.locals.app.email.confirmHeld({ token: event.params.token }) })),
};
