import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const c = await event.locals.app.discussions.getComment(event.locals.actor, { commentId: event.params.commentId });
    if (c.deleted || c.discussionId !== event.params.id) error(404, event.locals.t('errors.not_found'));
    const d = await event.locals.app.discussions.get(event.locals.actor, { discussionId: c.discussionId });
    return { comment: c, discussion: { id: d.id, title: d.title, groupSlug: d.group.slug } };
  });

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.discussions.editComment(event.locals.actor, { ...f, commentId: event.params.commentId }), f);
    if (res && 'id' in res) redirect(303, safeRedirect(`/d/${event.params.id}?comment=${event.params.commentId}#c-${event.params.commentId}`, event.url));
    return res;
  },
};
