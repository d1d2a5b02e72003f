import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.discussions.newDiscussionForm(event.locals.actor, { groupSlug: event.params.slug })),
    maxUploadMb: Math.round(event.locals.app.config.maxUploadBytes / 1024 / 1024),
    formKey: formKey(event),
  }));

export const actions: Actions = {
  /** Starts the discussion (with its attachments), then opens it. */
  default: async (event) => {
    const fd = await event.request.formData();
    const values = { title: String(fd.get('title') ?? ''), body: String(fd.get('body') ?? '') };
    const res = await formAction(
      event,
      () => event.locals.app.discussions.create(event.locals.actor, { ...values, groupSlug: event.params.slug, files: fd.getAll('files'), key: fd.get('key') }),
      values,
    );
    if (res && 'id' in res) redirect(303, safeRedirect(`/d/${res.id}`, event.url));
    return res;
  },
};
