import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';

/**
 * Home: a member's groups with unread counts, mentions and recent discussions, and their
 * next steps (an administrator's checklist, groups to join); the open groups for visitors.
 * Unread chats come with the layout's data.
 */
export const load: PageServerLoad = async ({ locals }) => ({
  home: await locals.app.discussions.home(locals.actor),
  next: await locals.app.instance.firstSteps(locals.actor),
});

export const actions: Actions = {
  /** Puts the administrator's checklist away. */
  dismissChecklist: async (event) =>
    formAction(event, async () => {
      await event.locals.app.instance.dismissChecklist(event.locals.actor);
      return { ok: event.locals.t('home.checklist_dismissed') };
    }),
  /** Joins a suggested group in one tap, and goes there. */
  join: async (event) => {
    const f = await formObject(event.request);
    const slug = String(f.slug ?? '');
    const res = await formAction(event, async () => {
      await event.locals.app.groups.join(event.locals.actor, slug);
      return { joined: slug };
    });
    if (res && 'joined' in res) redirect(303, `/groups/${encodeURIComponent(slug)}?welcome=1`);
    return res;
  },
};
