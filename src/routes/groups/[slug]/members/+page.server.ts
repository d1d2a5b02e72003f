import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

/** Members of a group (group.members), by name, a page at a time (`?after=`). */
export const load: PageServerLoad = async (event) =>
  loadOr404(event, () => event.locals.app.groups.members(event.locals.actor, event.params.slug, { after: event.url.searchParams.get('after') ?? undefined }));

export const actions: Actions = {
  role: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.groups.setRole(event.locals.actor, event.params.slug, f);
      return { ok: event.locals.t('groups.members.updated') };
    });
  },
  remove: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.groups.remove(event.locals.actor, event.params.slug, f);
      return { ok: event.locals.t('groups.members.removed', { name: String(f.name ?? '') }) };
    });
  },
};
