import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Revokes an invitation. */
export const DELETE: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.groups.invitations.revoke(event.locals.actor, event.params.slug, { invitationId: event.params.id });
    return { ok: true };
  });
