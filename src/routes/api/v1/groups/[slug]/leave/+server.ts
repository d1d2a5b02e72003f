import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Leaves a group. */
export const POST: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.groups.leave(event.locals.actor, event.params.slug);
    return { ok: true };
  });
