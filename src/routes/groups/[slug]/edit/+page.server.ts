import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** Edit a group: fields, cover image, external links (group.manage). */
export const load: PageServerLoad = async (event) =>
  loadOr404(event, async () => ({ ...(await event.locals.app.groups.forEdit(event.locals.actor, event.params.slug)), formKey: formKey(event) }));

export const actions: Actions = {
  save: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.groups.update(event.locals.actor, event.params.slug, f), f);
    if (res && 'slug' in res) redirect(303, safeRedirect(`/groups/${res.slug}/edit?saved=1`, event.url));
    return res;
  },
  cover: async (event) => {
    const f = await formObject(event.request);
    const file = f.cover instanceof File && f.cover.size > 0 ? f.cover : null;
    return formAction(event, async () => {
      await event.locals.app.groups.setCover(event.locals.actor, event.params.slug, file ?? new File([], ''));
      return { ok: event.locals.t('groups.edit.cover_saved') };
    });
  },
  removeCover: async (event) =>
    formAction(event, async () => {
      await event.locals.app.groups.setCover(event.locals.actor, event.params.slug, null);
      return { ok: event.locals.t('groups.edit.cover_saved') };
    }),
  addLink: async (event) => {
    const f = await formObject(event.request);
    return formAction(
      event,
      async () => {
        await event.locals.app.groups.addLink(event.locals.actor, event.params.slug, f);
        return { ok: event.locals.t('common.saved'), link: true };
      },
      f,
    );
  },
  removeLink: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.groups.removeLink(event.locals.actor, event.params.slug, f);
      return { ok: event.locals.t('common.saved') };
    });
  },
  moveLink: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.groups.moveLink(event.locals.actor, event.params.slug, f);
      return null;
    });
  },
};
