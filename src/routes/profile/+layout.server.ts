import type { LayoutServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

export const load: LayoutServerLoad = async (event) => ({
  me: await loadOr404(event, () => event.locals.app.accounts.me(event.locals.actor)),
  mail: await event.locals.app.email.mailStatus(event.locals.actor),
});
