import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET ?after=seq: the room's events after a cursor, in order (the same frames as the WebSocket). */
export const GET: RequestHandler = (event) =>
  api(event, async () => {
    const { events } = await event.locals.app.chat.eventsSince(event.locals.actor, { roomId: event.params.id, after: event.url.searchParams.get('after') ?? '0', limit: event.url.searchParams.get('limit') ?? undefined });
    return { events: events.map((e) => JSON.parse(e.frame)) };
  });
