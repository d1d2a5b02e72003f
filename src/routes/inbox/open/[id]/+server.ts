import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loadOr404 } from '$lib/server/http';

/** Opens a notification: everything about its subject is read, then the exact item opens. */
export const GET: RequestHandler = async (event) => {
  const { url } = await loadOr404(event, () => event.locals.app.notifications.open(event.locals.actor, { id: event.params.id }));
  redirect(303, url);
};
