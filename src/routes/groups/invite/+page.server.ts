import type { Actions, PageServerLoad } from './$types';
import { formKey, loadOr404 } from '$lib/server/http';
import { inviteActions } from '../invite-actions';

/** Invitations to the association without a group (instance admins). */
export const load: PageServerLoad = async (event) => loadOr404(event, async () => ({
    ...(await event.locals.app.groups.invitations.list(event.locals.actor, null)),
    formKeys: { email: formKey(event), link: formKey(event) },
  }));

export const actions: Actions = inviteActions(() => null);
