import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { minutesFromForm } from '$lib/server/domain/decide/decide.service';

const occurrenceOf = (url: URL) => url.searchParams.get('occurrence') ?? undefined;

/** A meeting's minutes, item by item: notes, decisions (to the decision log), action items. */
export const load: PageServerLoad = (event) => loadOr404(event, () => event.locals.app.decide.minutes(event.locals.actor, { eventId: event.params.id, occurrence: occurrenceOf(event.url) }));

export const actions: Actions = {
  save: async (event) => {
    const f = await formObject(event.request);
    return formAction(
      event,
      async () => {
        const r = await event.locals.app.decide.saveMinutes(event.locals.actor, minutesFromForm({ ...f, eventId: event.params.id, occurrence: occurrenceOf(event.url) }));
        return { ok: event.locals.t(r.tasks ? 'decide.minutes.saved_tasks' : 'decide.minutes.saved', { count: r.tasks }) };
      },
      f,
    );
  },
  removeAction: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.removeActionItem(event.locals.actor, { actionId: f.actionId });
      return { ok: event.locals.t('decide.minutes.action_removed') };
    });
  },
};
