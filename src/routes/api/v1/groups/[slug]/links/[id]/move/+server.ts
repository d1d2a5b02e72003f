import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Moves a link: `{ "direction": "up" | "down" }`. */
export const POST: RequestHandler = (event) =>
  api(event, async () => {
    const body = (await jsonBody(event)) as Record<string, unknown>;
    await event.locals.app.groups.moveLink(event.locals.actor, event.params.slug, { ...body, linkId: event.params.id });
    return { ok: true };
  });
