import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';
import { REACTIONS } from '$lib/server/domain/discussions/discussions.service';
import { keepValues, taskInput } from '../task-form';

/** The task page: opening it reads what the member was told of this task. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.tasks.open(event.locals.actor, { taskId: event.params.id })),
    palette: REACTIONS,
    maxUploadMb: Math.round(event.locals.app.config.maxUploadBytes / 1024 / 1024),
    // One key per creating form: a comment or checklist lines sent twice are added once.
    formKeys: { comment: formKey(event), checklist: formKey(event) },
  }));

/** Runs one change from a form of the page, then shows the task again (at `anchor`). */
async function change<R>(event: RequestEvent, fn: (input: Record<string, unknown>, fd: FormData) => Promise<R>, anchor = '') {
  const fd = await event.request.formData();
  const input = { ...taskInput(fd), taskId: event.params.id };
  const res = await formAction(event, () => fn(input, fd), keepValues(fd));
  if (res && typeof res === 'object' && !('status' in res && 'data' in res)) redirect(303, safeRedirect(`/tasks/${event.params.id}${anchor}`, event.url));
  return res;
}

export const actions: Actions = {
  edit: (event) => change(event, (i) => event.locals.app.tasks.edit(event.locals.actor, { taskId: i.taskId, version: i.version, title: i.title, description: i.description ?? '' })),
  props: (event) => change(event, (i) => event.locals.app.tasks.edit(event.locals.actor, i)),
  move: (event) => change(event, (i) => event.locals.app.tasks.move(event.locals.actor, i)),
  take: (event) => change(event, (i) => event.locals.app.tasks.take(event.locals.actor, i)),
  done: (event) => change(event, (i) => event.locals.app.tasks.complete(event.locals.actor, i)),
  checkAdd: (event) => change(event, (i) => event.locals.app.tasks.addChecklist(event.locals.actor, i), '#checklist'),
  checkToggle: (event) => change(event, (i) => event.locals.app.tasks.editChecklist(event.locals.actor, { taskId: i.taskId, itemId: i.itemId, done: i.done }), '#checklist'),
  checkEdit: (event) => change(event, (i) => event.locals.app.tasks.editChecklist(event.locals.actor, i), '#checklist'),
  checkRemove: (event) => change(event, (i) => event.locals.app.tasks.removeChecklist(event.locals.actor, i), '#checklist'),
  comment: async (event) => {
    const fd = await event.request.formData();
    const values = { body: String(fd.get('body') ?? '') };
    const res = await formAction(event, () => event.locals.app.tasks.comment(event.locals.actor, { ...values, taskId: event.params.id, files: fd.getAll('files'), key: fd.get('key') }), values);
    if (res && 'id' in res) redirect(303, safeRedirect(`/tasks/${event.params.id}#tc-${res.id}`, event.url));
    return res;
  },
  deleteComment: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.tasks.removeComment(event.locals.actor, { commentId: f.commentId });
      return { ok: event.locals.t('tasks.comment_deleted') };
    });
  },
  react: async (event) => {
    const f = await formObject(event.request);
    const [targetId, emoji] = String(f.reaction ?? `${f.targetId ?? ''} ${f.emoji ?? ''}`).split(' ');
    const res = await formAction(event, async () => {
      await event.locals.app.tasks.react(event.locals.actor, { targetId, emoji });
      return { reacted: true };
    });
    if (res && 'reacted' in res && !event.request.headers.get('x-sveltekit-action')) redirect(303, safeRedirect(`/tasks/${event.params.id}#tc-${targetId}`, event.url));
    return res;
  },
  delete: async (event) => {
    const res = await formAction(event, () => event.locals.app.tasks.remove(event.locals.actor, { taskId: event.params.id }));
    if (res && 'groupSlug' in res) redirect(303, safeRedirect(`/groups/${res.groupSlug}/tasks`, event.url));
    return res;
  },
};
