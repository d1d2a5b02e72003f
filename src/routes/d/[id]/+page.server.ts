import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';
import { REACTIONS } from '$lib/server/domain/discussions/discussions.service';
import type { ReactionView } from '$lib/server/domain/discussions/views';
// The renderer of replies' shared HTML imports a Svelte component: loaded on first use, so this
// module stays importable where .svelte files are not compiled (tools that read its actions).
const renderer = () => import('$lib/components/discussions/comment-html.server');

/** A reply on the page: `html` is absent from the hydration data of a server-rendered page (see `open`). */
type ReplyItem = { id: string; seq: number; deleted: boolean; reactions: ReactionView[]; can: { edit: boolean; delete: boolean; react: boolean }; html?: string };

/**
 * The discussion and its replies as the page needs them. What a reply shows the same to every
 * reader comes as one piece of HTML rendered once and reused (`html`); the rest is what
 * depends on the reader. On a page rendered by the server, `html` is not enumerable: the
 * page uses it, but SvelteKit's serialiser skips it, so the replies' text is not sent a second
 * time in the hydration data (the browser keeps the server's nodes; a later refresh of the
 * data, `__data.json`, carries it).
 */
async function open(event: Parameters<PageServerLoad>[0]) {
  const q = event.url.searchParams;
  const r = await event.locals.app.discussions.open(event.locals.actor, { discussionId: event.params.id, after: q.get('after'), before: q.get('before'), comment: q.get('comment') });
  const { locale, timeZone } = event.locals;
  const { commentHtml } = await renderer();
  const comments = r.comments.map((c) => {
    const item: ReplyItem = { id: c.id, seq: c.seq, deleted: c.deleted, reactions: c.reactions, can: c.can };
    if (!c.deleted) Object.defineProperty(item, 'html', { value: commentHtml(c, r.discussion.id, locale, timeZone), enumerable: event.isDataRequest });
    return item;
  });
  return { ...r, comments };
}

/** A discussion with its replies; opening it marks everything shown as read. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const r = await open(event);
    // Tasks made from the discussion or its replies (chips with their live status), and "Make a task from this".
    const tasks = await event.locals.app.tasks.fromItems(event.locals.actor, { groupId: r.discussion.group.id, originIds: [r.discussion.id, ...r.comments.map((c) => c.id)] });
    return { ...r, tasks, palette: REACTIONS, maxUploadMb: Math.round(event.locals.app.config.maxUploadBytes / 1024 / 1024), formKey: formKey(event) };
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
