import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { answersFromForm } from '$lib/server/domain/decide/decide.service';

/** A date poll, a choice poll or a proposal: its answers, the form to answer, closing for its author or the group's admins. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({ poll: await event.locals.app.decide.poll(event.locals.actor, { pollId: event.params.id }), baseUrl: event.locals.app.config.baseUrl }));

export const actions: Actions = {
  /** A date poll: yes / if need be / no per slot. */
  answer: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.answerDatePoll(event.locals.actor, { pollId: event.params.id, answers: answersFromForm(f), comment: f.comment });
      return { ok: event.locals.t('decide.saved_answer') };
    }, f);
  },
  /** A choice poll: one option (radio) or several (checkboxes). */
  vote: async (event) => {
    const fd = await event.request.formData();
    return formAction(event, async () => {
      await event.locals.app.decide.vote(event.locals.actor, { pollId: event.params.id, optionIds: fd.getAll('optionIds') });
      return { ok: event.locals.t('decide.saved_vote') };
    });
  },
  /** A proposal: a position and its reason. */
  respond: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.respond(event.locals.actor, { ...f, pollId: event.params.id });
      return { ok: event.locals.t('decide.saved_position') };
    }, f);
  },
  /** Closes the poll with its outcome (a date poll: on the chosen slot, which becomes an event). */
  close: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.decide.close(event.locals.actor, { ...f, pollId: event.params.id }), f);
    if (res && 'eventId' in res && res.eventId) redirect(303, `/events/${res.eventId}?created=1`);
    if (res && 'pollId' in res) return { ok: event.locals.t('decide.closed_ok') };
    return res;
  },
  /** Removes the poll. */
  remove: async (event) => {
    const res = await formAction(event, () => event.locals.app.decide.remove(event.locals.actor, { pollId: event.params.id }));
    if (res && 'groupSlug' in res) redirect(303, `/groups/${res.groupSlug}/polls`);
    return res;
  },
};
