import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/** Changing an event, its whole series, or one occurrence (`?occurrence=`): its author or the group's admins. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.decide.editEventForm(event.locals.actor, { eventId: event.params.id, occurrence: event.url.searchParams.get('occurrence') ?? undefined })),
    zones: Intl.supportedValuesOf('timeZone'),
  }));

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const occurrence = event.url.searchParams.get('occurrence') ?? undefined;
    const res = await formAction(event, () => event.locals.app.decide.editEvent(event.locals.actor, { ...f, eventId: event.params.id, occurrence }), f);
    if (res && 'id' in res) redirect(303, `/events/${res.id}${res.occurrence ? `?occurrence=${encodeURIComponent(res.occurrence)}` : ''}`);
    return res;
  },
};
