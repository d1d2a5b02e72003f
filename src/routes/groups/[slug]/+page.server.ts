import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';

/** A group's page: cover, description, links, working groups, and what the actor may do. */
export const load: PageServerLoad = async (event) =>
  loadOr404(event, async () => {
    const { app, actor } = event.locals;
    const overview = await app.groups.overview(actor, event.params.slug);
    // The latest discussions, for those who may read the group's content.
    const recent = overview.abilities['group.read'] ? await app.discussions.listForGroup(actor, { groupSlug: event.params.slug, limit: 5 }) : null;
    // The chat button and its unread badge, for those who may read the chat.
    const chatUnread = await app.chat.groupUnread(actor, { slug: event.params.slug });
    return { ...overview, recent: recent ? [...recent.pinned, ...recent.items].slice(0, 6) : null, chatUnread, formKey: formKey(event) };
  });

export const actions: Actions = {
  join: async (event) =>
    formAction(event, async () => {
      await event.locals.app.groups.join(event.locals.actor, event.params.slug);
      return { ok: event.locals.t('groups.joined') };
    }),
  request: async (event) => {
    const f = await formObject(event.request);
    return formAction(
      event,
      async () => {
        await event.locals.app.groups.requestJoin(event.locals.actor, event.params.slug, f);
        return { ok: event.locals.t('groups.request_sent') };
      },
      f,
    );
  },
  leave: async (event) =>
    formAction(event, async () => {
      await event.locals.app.groups.leave(event.locals.actor, event.params.slug);
      return { ok: event.locals.t('groups.left') };
    }),
};
