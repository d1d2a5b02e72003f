import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Invitations of the group with their state. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.groups.invitations.list(event.locals.actor, event.params.slug));
/** `{ "emails": "a@x.org, b@y.be" }` sends invitations by mail; otherwise creates a shareable link (`days`, `maxUses`). */
export const POST: RequestHandler = (event) =>
  api(
    event,
    async () => {
      const body = (await jsonBody(event)) as Record<string, unknown>;
      const inv = event.locals.app.groups.invitations;
      return body && 'emails' in body ? inv.inviteByEmail(event.locals.actor, event.params.slug, body) : inv.createLink(event.locals.actor, event.params.slug, body);
    },
    201,
  );
