import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';

const occurrenceOf = (url: URL) => url.searchParams.get('occurrence') ?? undefined;

/** An event (one occurrence of a series: `?occurrence=`): when and where, who comes, a meeting's agenda. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({ ...(await event.locals.app.decide.event(event.locals.actor, { eventId: event.params.id, occurrence: occurrenceOf(event.url) })), formKey: formKey(event) }));

export const actions: Actions = {
  /** Yes / maybe / no. */
  rsvp: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.rsvp(event.locals.actor, { ...f, eventId: event.params.id, occurrence: f.occurrence || undefined });
      return { ok: event.locals.t('decide.rsvp.saved') };
    });
  },
  /** Cancels the event, or only this occurrence (`scope=one`). */
  cancel: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.cancelEvent(event.locals.actor, { eventId: event.params.id, occurrence: f.scope === 'one' ? f.occurrence || undefined : undefined });
      return { ok: event.locals.t(f.scope === 'one' ? 'decide.event.cancelled_one' : 'decide.event.cancelled_all') };
    });
  },
  /** A meeting: adds an item to this occurrence's agenda. */
  addItem: async (event) => {
    const f = await formObject(event.request);
    return formAction(
      event,
      async () => {
        await event.locals.app.decide.addAgendaItem(event.locals.actor, { ...f, eventId: event.params.id, occurrence: f.occurrence || undefined });
        return { ok: event.locals.t('decide.agenda.item_added') };
      },
      f,
    );
  },
  removeItem: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.removeAgendaItem(event.locals.actor, { itemId: f.itemId });
      return { ok: event.locals.t('decide.agenda.item_removed') };
    });
  },
  moveItem: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.decide.moveAgendaItem(event.locals.actor, { itemId: f.itemId, direction: f.direction });
      return {};
    });
  },
};
