import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

/**
 * An invitation sent to the member's own address, opened from their notifications: no link
 * needed, the address is the proof. GET shows it; the button POSTs and joins.
 */
export const load: PageServerLoad = async (event) => ({
  invitation: await loadOr404(event, () => event.locals.app.groups.invitations.previewMine(event.locals.actor, { id: event.params.id })),
});

export const actions: Actions = {
  join: async (event) => {
    const res = await formAction(event, () => event.locals.app.groups.invitations.acceptMine(event.locals.actor, { id: event.params.id }));
    if (res && 'groupSlug' in res) redirect(303, res.groupSlug ? `/groups/${res.groupSlug}?welcome=1` : '/');
    return res;
  },
};
