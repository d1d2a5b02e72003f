import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { REACTIONS } from '$lib/server/domain/discussions/discussions.service';

/** A discussion with its replies; opening it marks everything shown as read. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.discussions.open(event.locals.actor, { discussionId: event.params.id })),
    palette: REACTIONS,
    maxUploadMb: Math.round(event.locals.app.config.maxUploadBytes / 1024 / 1024),
  }));

export const actions: Actions = {
  reply: async (event) => {
    const fd = await event.request.formData();
    const values = { body: String(fd.get('body') ?? '') };
    const res = await formAction(event, () => event.locals.app.discussions.reply(event.locals.actor, { ...values, discussionId: event.params.id, files: fd.getAll('files') }), values);
    if (res && 'id' in res) redirect(303, `/d/${event.params.id}#c-${res.id}`);
    return res;
  },
  react: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.discussions.react(event.locals.actor, f);
      return { reacted: true };
    });
  },
  deleteComment: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.discussions.removeComment(event.locals.actor, f);
      return { ok: event.locals.t('common.saved') };
    });
  },
  delete: async (event) => {
    const res = await formAction(event, () => event.locals.app.discussions.remove(event.locals.actor, { discussionId: event.params.id }));
    if (res && 'groupSlug' in res) redirect(303, `/groups/${res.groupSlug}/discussions`);
    return res;
  },
  pin: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.discussions.setPinned(event.locals.actor, { discussionId: event.params.id, on: f.on });
      return { ok: event.locals.t('discussions.saved') };
    });
  },
  lock: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.discussions.setLocked(event.locals.actor, { discussionId: event.params.id, on: f.on });
      return { ok: event.locals.t('discussions.saved') };
    });
  },
};
