import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** The "new group" form; `?parent=<slug>` makes a working group of that group. */
export const load: PageServerLoad = async (event) =>
  loadOr404(event, async () => ({ ...(await event.locals.app.groups.newGroupForm(event.locals.actor, event.url.searchParams.get('parent'))), formKey: formKey(event) }));

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.groups.create(event.locals.actor, f), f);
    if (res && 'slug' in res) redirect(303, safeRedirect(`/groups/${res.slug}`, event.url));
    return res;
  },
};
