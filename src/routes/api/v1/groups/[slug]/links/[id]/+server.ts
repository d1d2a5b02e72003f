import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Removes an external resource. */
export const DELETE: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.groups.removeLink(event.locals.actor, event.params.slug, { linkId: event.params.id });
    return { ok: true };
  });
