import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** The page's own query without the form action's marker (`/move`): where an action goes back to. */
const back = (event: RequestEvent) => {
  const q = new URLSearchParams(event.url.search);
  for (const k of [...q.keys()]) if (k.startsWith('/')) q.delete(k);
  const s = q.toString();
  return safeRedirect(`${event.url.pathname}${s ? `?${s}` : ''}`, event.url);
};

/** A group's tasks: the board (default) or the list view (`?view=list`, with filters as query parameters). */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const { app, actor } = event.locals;
    const q = event.url.searchParams;
    if (q.get('view') === 'list') {
      const list = await app.tasks.list(actor, {
        groupSlug: event.params.slug,
        assignee: q.get('assignee'),
        priority: q.get('priority'),
        label: q.get('label'),
        due: q.get('due'),
        status: q.get('status'),
        sort: q.get('sort'),
        after: q.get('after'),
      });
      return { view: 'list' as const, list, board: null, formKey: null };
    }
    return { view: 'board' as const, board: await app.tasks.board(actor, { groupSlug: event.params.slug }), list: null, formKey: formKey(event) };
  });

export const actions: Actions = {
  /** Quick add: a title, in a column. */
  create: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.tasks.create(event.locals.actor, { groupSlug: event.params.slug, title: f.title, columnId: f.columnId, key: f.key }), { title: f.title });
    if (res && 'id' in res) redirect(303, back(event));
    return res;
  },
  move: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.tasks.move(event.locals.actor, f));
    if (res && 'id' in res) redirect(303, back(event));
    return res;
  },
  take: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.tasks.take(event.locals.actor, f));
    if (res && 'id' in res) redirect(303, back(event));
    return res;
  },
};
