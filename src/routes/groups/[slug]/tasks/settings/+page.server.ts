import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/** A board's columns (group admins), labels (members) and time zone (group admins). */
export const load: PageServerLoad = (event) => loadOr404(event, () => event.locals.app.tasks.settings(event.locals.actor, { groupSlug: event.params.slug }));

const saved = async (event: RequestEvent, fn: (f: Record<string, FormDataEntryValue>) => Promise<unknown>) => {
  const f = await formObject(event.request);
  return formAction(
    event,
    async () => {
      await fn({ ...f, groupSlug: event.params.slug ?? '' });
      return { ok: event.locals.t('tasks.saved') };
    },
    // Only what the member typed comes back, never the form's ids.
    { name: f.name, timeZone: f.timeZone },
  );
};

export const actions: Actions = {
  addColumn: (event) => saved(event, (f) => event.locals.app.tasks.addColumn(event.locals.actor, f)),
  editColumn: (event) => saved(event, (f) => event.locals.app.tasks.editColumn(event.locals.actor, f)),
  removeColumn: (event) => saved(event, (f) => event.locals.app.tasks.removeColumn(event.locals.actor, f)),
  addLabel: (event) => saved(event, (f) => event.locals.app.tasks.addLabel(event.locals.actor, f)),
  editLabel: (event) => saved(event, (f) => event.locals.app.tasks.editLabel(event.locals.actor, f)),
  removeLabel: (event) => saved(event, (f) => event.locals.app.tasks.removeLabel(event.locals.actor, f)),
  timeZone: (event) => saved(event, (f) => event.locals.app.tasks.setTimeZone(event.locals.actor, f)),
};
