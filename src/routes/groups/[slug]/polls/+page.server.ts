import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/** A group's date polls, polls and proposals: open ones first, then closed ones. */
export const load: PageServerLoad = (event) => loadOr404(event, () => event.locals.app.decide.listForGroup(event.locals.actor, { groupSlug: event.params.slug }));

export const actions: Actions = {
  /** The group's admins let people without an account answer date polls through a shared link (or stop it). */
  guests: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      const r = await event.locals.app.decide.setGuestPolls(event.locals.actor, { groupSlug: event.params.slug, on: f.on });
      return { ok: event.locals.t(r.on ? 'decide.guest.allowed' : 'decide.guest.stopped') };
    });
  },
};
