import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.accounts.revokeToken(event.locals.actor, { id: event.params.id }));
