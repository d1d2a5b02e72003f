import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';

/**
 * Home: a member's groups with unread counts, mentions and recent discussions, and their
 * next steps (an administrator's checklist, groups to join); the open groups for visitors.
 * Unread chats come with the layout's data.
 */
export const load: PageServerLoad = async ({ locals }) => {
  const member = locals.actor.kind === 'user';
  return {
    home: await locals.app.discussions.home(locals.actor),
    next: await locals.app.instance.firstSteps(locals.actor),
    // What needs me now: my open tasks (overdue first), polls and events waiting for my answer, then what waits unread in my inbox.
    needs: member
      ? { tasks: (await locals.app.tasks.mine(locals.actor, { limit: 5 })).items, answers: await locals.app.decide.awaitingMe(locals.actor, 5), waiting: await locals.app.notifications.waiting(locals.actor, 5) }
      : null,
  };
};

export const actions: Actions = {
  /** Puts the administrator's checklist away. */
  dismissChecklist: async (event) =>
    formAction(event, async () => {
      await event.locals.app.instance.dismissChecklist(event.locals.actor);
      return { ok: event.locals.t('home.checklist_dismissed') };
    }),
  /** Marks one of my tasks done from home, and stays there. */
  taskDone: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.tasks.complete(event.locals.actor, { taskId: f.taskId }));
    if (res && 'id' in res) return { ok: event.locals.t('home.needs_done_ok') };
    return res;
  },
  /** Answers "I'm coming" to an event (or one occurrence) from home, and stays there. */
  rsvp: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.decide.rsvp(event.locals.actor, { eventId: f.eventId, occurrence: f.occurrence || undefined, answer: 'yes' }));
    if (res && 'answer' in res) return { ok: event.locals.t('home.needs_rsvp_ok') };
    return res;
  },
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
