import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/**
 * An invitation's one-click answer from a mail: the link names its member. Opening it shows
 * the event and the answer picked in the mail (nothing is written on GET: mail scanners follow
 * links); the button answers.
 */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.decide.mail.eventLink({ id: event.params.id, t: event.url.searchParams.get('t') ?? '', occurrence: event.url.searchParams.get('occurrence') ?? undefined })),
    t: event.url.searchParams.get('t') ?? '',
    picked: event.url.searchParams.get('a'),
  }));

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.mail.rsvpLink({ ...f, id: event.params.id, occurrence: event.url.searchParams.get('occurrence') ?? undefined });
      return { ok: event.locals.t('decide.rsvp.saved'), done: true };
    });
  },
};
