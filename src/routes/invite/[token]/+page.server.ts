import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { clientContext, setSessionCookie } from '$lib/server/domain/accounts/cookie';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** An invitation: who invites to what; unknown links answer 404, spent ones 410. */
export const load: PageServerLoad = async (event) => {
  const p = await loadOr404(event, () => event.locals.app.groups.invitations.preview(event.locals.actor, { token: event.params.token }));
  if (p.state !== 'valid') error(410, event.locals.t(`invite.gone.${p.state}`));
  return { invitation: p, token: event.params.token };
};

/** After joining: the group, with a welcome and a reply field; or home, with groups to join. */
const landing = (slug: string | null) => (slug ? `/groups/${slug}?welcome=1` : '/?welcome=1');

export const actions: Actions = {
  /** A signed-in member joins. */
  join: async (event) => {
    const res = await formAction(event, () => event.locals.app.groups.invitations.accept(event.locals.actor, { token: event.params.token }));
    if (res && 'groupSlug' in res) redirect(303, landing(res.groupSlug));
    return res;
  },
  /** A newcomer creates an account, is signed in and joins, in one step. */
  signup: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(
      event,
      async () => {
        const r = await event.locals.app.groups.invitations.signUp({ ...f, token: event.params.token, locale: event.locals.locale }, clientContext(event));
        setSessionCookie(event.cookies, event.url, r.session);
        return { groupSlug: r.groupSlug };
      },
      f,
    );
    if (res && 'groupSlug' in res) redirect(303, landing(res.groupSlug));
    return res;
  },
};
