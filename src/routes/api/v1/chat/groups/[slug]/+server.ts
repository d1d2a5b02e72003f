import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET: a group's chat room (created on first use), its latest messages and the member's cursor. */
export const GET: RequestHandler = (event) =>
  api(event, () => event.locals.app.chat.groupChat(event.locals.actor, { slug: event.params.slug }, Object.fromEntries(event.url.searchParams)));
