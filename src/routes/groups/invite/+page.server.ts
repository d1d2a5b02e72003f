import type { Actions, PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';
import { inviteActions } from '../invite-actions';

/** Invitations to the association without a group (instance admins). */
export const load: PageServerLoad = async (event) => loadOr404(event, () => event.locals.app.groups.invitations.list(event.locals.actor, null));

export const actions: Actions = inviteActions(() => null);
