import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: my tasks (`?done=1` includes done ones; keyset `after`). POST: create a task in a group (`groupSlug`). */
export const GET: RequestHandler = (event) =>
  api(event, () => event.locals.app.tasks.mine(event.locals.actor, { done: event.url.searchParams.get('done') ?? undefined, after: event.url.searchParams.get('after'), limit: event.url.searchParams.get('limit') ?? undefined }));
export const POST: RequestHandler = (event) =>
  api(event, async () => {
    const { id } = await event.locals.app.tasks.create(event.locals.actor, await jsonBody(event));
    return event.locals.app.tasks.get(event.locals.actor, { taskId: id });
  }, 201);
