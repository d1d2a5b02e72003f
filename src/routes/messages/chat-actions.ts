import { redirect, type RequestEvent } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import { formAction, formObject } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** A fresh idempotency key for the no-JavaScript form: submitting the same form twice posts once. */
export const formKey = () => randomBytes(16).toString('hex');

/** The search params a chat page reads (keyset window). */
export const windowOf = (url: URL) => ({ before: url.searchParams.get('before') ?? undefined, after: url.searchParams.get('after') ?? undefined });

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
    const f = await formObject(event.request);
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
