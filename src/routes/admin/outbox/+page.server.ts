import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => ({
  items: await loadOr404(event, () => event.locals.app.instance.listOutbox(event.locals.actor)),
});
