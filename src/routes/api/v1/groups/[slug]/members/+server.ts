import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Members by name; `?after=<cursor>&limit=` pages through them. */
export const GET: RequestHandler = (event) =>
  api(event, () => event.locals.app.groups.members(event.locals.actor, event.params.slug, Object.fromEntries(event.url.searchParams)));
