import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { answersFromForm } from '$lib/server/domain/decide/decide.service';

/** The guest's secret for this poll: from the mailed link (`?edit=`) or their browser's cookie. */
function secretOf(event: RequestEvent): { cookie: string | null; secret: string | null } {
  const cookie = event.locals.app.decide.guestCookieFor(event.params.token);
  const fromLink = event.url.searchParams.get('edit');
  return { cookie, secret: fromLink || (cookie ? (event.cookies.get(cookie) ?? null) : null) };
}
const keep = (event: RequestEvent, cookie: string | null, secret: string) => {
  if (cookie) event.cookies.set(cookie, secret, { path: '/polls/guest', httpOnly: true, sameSite: 'lax', maxAge: 180 * 86_400, secure: event.url.protocol === 'https:' });
};

/** A date poll through its shared link, for people without an account (when the group and the poll allow it). */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const { cookie, secret } = secretOf(event);
    const view = await event.locals.app.decide.guestView({ token: event.params.token, secret });
    // Opened from the mailed link: this browser keeps the secret too.
    if (view.mine && secret && event.url.searchParams.get('edit')) keep(event, cookie, secret);
    return { ...view, formKey: formKey(event) };
  });

export const actions: Actions = {
  /** A first answer (a browser that already answered changes its answer instead: one answer per guest). */
  answer: async (event) => {
    const f = await formObject(event.request);
    const { cookie, secret } = secretOf(event);
    const { app, locale, t } = event.locals;
    return formAction(
      event,
      async () => {
        if (secret) {
          const view = await app.decide.guestView({ token: event.params.token, secret });
          if (view.mine) {
            await app.decide.editGuestAnswer({ token: event.params.token, secret, answers: answersFromForm(f), comment: f.comment });
            return { ok: t('decide.saved_answer') };
          }
        }
        const r = await app.decide.answerAsGuest({ ...f, token: event.params.token, answers: answersFromForm(f), locale });
        keep(event, cookie, r.secret);
        return { ok: t(r.mailed ? 'decide.guest.saved_mailed' : 'decide.guest.saved') };
      },
      f,
    );
  },
};
