import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';
import { REACTIONS } from '$lib/server/domain/discussions/discussions.service';

/** The reaction palette as its own small page, for browsers without JavaScript. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const d = await event.locals.app.discussions.get(event.locals.actor, { discussionId: event.params.id });
    return { discussion: { id: d.id, title: d.title }, targetId: event.params.targetId, palette: REACTIONS };
  });
