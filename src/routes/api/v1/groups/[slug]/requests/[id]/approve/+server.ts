import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Approves a pending request to join. */
export const POST: RequestHandler = (event) =>
  api(event, () => event.locals.app.groups.decide(event.locals.actor, event.params.slug, { requestId: event.params.id, decision: 'approve' }));
