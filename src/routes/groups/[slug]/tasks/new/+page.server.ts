import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';
import { keepValues, taskInput } from '../../../../tasks/task-form';

/** The new-task form; `?from=comment:<id>` (or discussion:, chat:) starts from what it quotes. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.tasks.newTaskForm(event.locals.actor, { groupSlug: event.params.slug, from: event.url.searchParams.get('from') })),
    maxUploadMb: Math.round(event.locals.app.config.maxUploadBytes / 1024 / 1024),
    formKey: formKey(event),
  }));

export const actions: Actions = {
  /** Creates the task (with its attachments), then opens it. */
  default: async (event) => {
    const fd = await event.request.formData();
    const res = await formAction(event, () => event.locals.app.tasks.create(event.locals.actor, { ...taskInput(fd), groupSlug: event.params.slug, files: fd.getAll('files') }), keepValues(fd));
    if (res && 'id' in res) redirect(303, safeRedirect(`/tasks/${res.id}`, event.url));
    return res;
  },
};
