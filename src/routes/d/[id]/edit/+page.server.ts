import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const d = await event.locals.app.discussions.get(event.locals.actor, { discussionId: event.params.id });
    if (d.deleted) error(404, event.locals.t('errors.not_found'));
    return { discussion: d };
  });

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.discussions.edit(event.locals.actor, { ...f, discussionId: event.params.id }), f);
    if (res && 'id' in res) redirect(303, safeRedirect(`/d/${event.params.id}`, event.url));
    return res;
  },
};
