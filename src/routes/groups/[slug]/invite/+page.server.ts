import type { Actions, PageServerLoad } from './$types';
import { formKey, loadOr404 } from '$lib/server/http';
import { inviteActions } from '../../invite-actions';

/** Invitations to a group (group.invite): by email, by link, list and revoke. */
export const load: PageServerLoad = async (event) => loadOr404(event, async () => ({
    ...(await event.locals.app.groups.invitations.list(event.locals.actor, event.params.slug)),
    formKeys: { email: formKey(event), link: formKey(event) },
  }));

export const actions: Actions = inviteActions((e) => e.params.slug ?? null);
