import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';

/** A new event of the group's agenda (members). */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.decide.newEventForm(event.locals.actor, { groupSlug: event.params.slug })),
    zones: Intl.supportedValuesOf('timeZone'),
    timeZone: event.locals.timeZone,
    formKey: formKey(event),
  }));

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.decide.createEvent(event.locals.actor, { ...f, groupSlug: event.params.slug }), f);
    if (res && 'id' in res) redirect(303, `/events/${res.id}`);
    return res;
  },
};
