import { redirect, type RequestEvent } from '@sveltejs/kit';
import { formAction, formObject } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

export { formKey } from '$lib/server/http';

/** The search params a chat page reads (keyset window). */
export const windowOf = (url: URL) => ({ before: url.searchParams.get('before') ?? undefined, after: url.searchParams.get('after') ?? undefined });

/**
 * The message menu a page without JavaScript opens by address (`?actions=<id>`): the chat
 * service says what the member may do with that message of this room (nothing for an id of
 * another room or a deleted message); the address only names the message.
 */
export async function menuOf(event: RequestEvent, roomId: string) {
  const id = event.url.searchParams.get('actions');
  if (!id) return null;
  const menu = await event.locals.app.chat.messageMenu(event.locals.actor, { roomId, messageId: id });
  return menu && { messageId: menu.message.id, may: menu.may };
}

/** A reaction button sends `+👍` (put on) or `-👍` (take off): one form serves a whole row of buttons. */
function reactionOf(f: Record<string, FormDataEntryValue>) {
  const r = typeof f.reaction === 'string' ? /^([+-])(.+)$/su.exec(f.reaction) : null;
  return r ? { messageId: f.messageId, emoji: r[2], on: r[1] === '+' } : f;
}

/**
 * Form actions shared by a group's chat and a direct conversation; each calls one chat
 * service function (the WebSocket and the JSON API call the same ones).
 */
export const chatActions = {
  send: async (event: RequestEvent) => {
    // Multipart: the message and any files picked (all of them, not only the last).
    const fd = await event.request.formData();
    const f: Record<string, unknown> = {};
    for (const [k, v] of fd) if (k !== 'files') f[k] = v;
    const res = await formAction(event, () => event.locals.app.chat.send(event.locals.actor, { ...f, files: fd.getAll('files') }), { body: String(f.body ?? '') });
    if (res && 'message' in res) redirect(303, safeRedirect(`${event.url.pathname}#m-${res.message.id}`, event.url));
    return res;
  },
  edit: async (event: RequestEvent) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.chat.edit(event.locals.actor, f));
    if (res && 'message' in res) redirect(303, safeRedirect(`${event.url.pathname}#m-${res.message.id}`, event.url));
    return res;
  },
  delete: async (event: RequestEvent) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.chat.remove(event.locals.actor, f));
    if (res && 'message' in res) redirect(303, safeRedirect(event.url.pathname, event.url));
    return res;
  },
  react: async (event: RequestEvent) => {
    const f = reactionOf(await formObject(event.request));
    const res = await formAction(event, () => event.locals.app.chat.react(event.locals.actor, f));
    if (res && 'message' in res) redirect(303, safeRedirect(`${event.url.pathname}#m-${res.message.id}`, event.url));
    return res;
  },
  discussion: async (event: RequestEvent) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.chat.toDiscussion(event.locals.actor, f));
    if (res && 'url' in res) redirect(303, safeRedirect(res.url, event.url));
    return res;
  },
};
