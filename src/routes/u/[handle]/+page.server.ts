import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

/** Members see each other; for visitors a profile does not exist. */
export const load: PageServerLoad = async (event) => ({
  profile: await loadOr404(event, () => event.locals.app.accounts.publicProfile(event.locals.actor, { handle: event.params.handle })),
});
