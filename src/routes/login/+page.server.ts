import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';
import { clientContext, safeNext, setSessionCookie } from '$lib/server/domain/accounts/cookie';

export const load: PageServerLoad = async ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user) redirect(303, next);
  return { next, openRegistration: await locals.app.accounts.registrationOpen() };
};

export const actions: Actions = {
  /** Email + password. */
  login: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, async () => {
      const s = await event.locals.app.accounts.login(f, clientContext(event));
      setSessionCookie(event.cookies, event.url, s);
      return null;
    }, { email: f.email, next: safeNext(f.next), form: 'login' });
    if (res) return res;
    redirect(303, safeNext(f.next));
  },
  /** "Email me a login link": the same answer whether the address has an account or not. */
  magic: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.accounts.requestMagicLink(f);
      return { magicSent: true, values: { magicEmail: f.email, next: safeNext(f.next) } };
    }, { magicEmail: f.email, next: safeNext(f.next), form: 'magic' });
  },
};
