import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Changes a member's role: `{ "role": "admin" | "member" }`. */
export const PATCH: RequestHandler = (event) =>
  api(event, async () => {
    const body = (await jsonBody(event)) as Record<string, unknown>;
    await event.locals.app.groups.setRole(event.locals.actor, event.params.slug, { ...body, userId: event.params.userId });
    return { ok: true };
  });
/** Removes a member from the group. */
export const DELETE: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.groups.remove(event.locals.actor, event.params.slug, { userId: event.params.userId });
    return { ok: true };
  });
