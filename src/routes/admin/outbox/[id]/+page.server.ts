import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => ({
  mail: await loadOr404(event, () => event.locals.app.instance.readOutbox(event.locals.actor, { id: event.params.id })),
});
