import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';
import { REACTIONS } from '$lib/server/domain/discussions/discussions.service';

/** The reaction palette of a task comment as its own small page, for browsers without JavaScript. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const t = await event.locals.app.tasks.get(event.locals.actor, { taskId: event.params.id });
    return { task: { id: t.id, title: t.title }, targetId: event.params.targetId, palette: REACTIONS };
  });
