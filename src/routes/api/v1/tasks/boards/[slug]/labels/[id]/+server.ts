import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** PATCH: rename or recolour a label (members). DELETE: remove it from the group and its tasks. */
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.editLabel(event.locals.actor, { ...((await jsonBody(event)) as object), groupSlug: event.params.slug, labelId: event.params.id }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.tasks.removeLabel(event.locals.actor, { groupSlug: event.params.slug, labelId: event.params.id }));
