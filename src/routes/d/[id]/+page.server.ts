import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';
import { REACTIONS } from '$lib/server/domain/discussions/discussions.service';

/** The discussion and its replies as the page needs them: raw markdown stays out of the page data. */
async function open(event: Parameters<PageServerLoad>[0]) {
  const q = event.url.searchParams;
  const r = await event.locals.app.discussions.open(event.locals.actor, { discussionId: event.params.id, after: q.get('after'), before: q.get('before'), comment: q.get('comment') });
  return { ...r, comments: r.comments.map(({ body: _body, discussionId: _d, ...c }) => c) };
}

/** A discussion with its replies; opening it marks everything shown as read. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const r = await open(event);
    // Tasks made from the discussion or its replies (chips with their live status), and "Make a task from this".
    const tasks = await event.locals.app.tasks.fromItems(event.locals.actor, { groupId: r.discussion.group.id, originIds: [r.discussion.id, ...r.comments.map((c) => c.id)] });
    return { ...r, tasks, palette: REACTIONS, maxUploadMb: Math.round(event.locals.app.config.maxUploadBytes / 1024 / 1024), formKey: formKey() };
  });

export const actions: Actions = {
  reply: async (event) => {
    const fd = await event.request.formData();
    const values = { body: String(fd.get('body') ?? '') };
    const res = await formAction(event, () => event.locals.app.discussions.reply(event.locals.actor, { ...values, discussionId: event.params.id, files: fd.getAll('files'), key: fd.get('key') }), values);
    if (res && 'id' in res) redirect(303, safeRedirect(`/d/${event.params.id}?comment=${res.id}#c-${res.id}`, event.url));
    return res;
  },
  react: async (event) => {
    const f = await formObject(event.request);
    // Shared reaction buttons send "reaction" = "<targetId> <emoji>".
    const [targetId, emoji] = String(f.reaction ?? `${f.targetId ?? ''} ${f.emoji ?? ''}`).split(' ');
    return formAction(event, async () => {
      await event.locals.app.discussions.react(event.locals.actor, { targetId, emoji });
      return { reacted: true };
    }).then((res) => {
      // Without JavaScript (the palette page), go back to the item that was reacted to.
      if (res && 'reacted' in res && !event.request.headers.get('x-sveltekit-action')) redirect(303, safeRedirect(targetId === event.params.id ? `/d/${event.params.id}` : `/d/${event.params.id}?comment=${targetId}#c-${targetId}`, event.url));
      return res;
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
    if (res && 'groupSlug' in res) redirect(303, safeRedirect(`/groups/${res.groupSlug}/discussions`, event.url));
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
