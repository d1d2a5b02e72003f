import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';
import { clientContext, setSessionCookie } from '$lib/server/domain/accounts/cookie';
import { safeRedirect } from '$lib/server/kernel/redirect';

export const load: PageServerLoad = async ({ locals, url }) => {
  const next = safeRedirect(url.searchParams.get('next'), url);
  if (locals.user) redirect(303, next);
  return { next, openRegistration: await locals.app.accounts.registrationOpen(), endedEverywhere: url.searchParams.get('ended') === 'everywhere' };
};

export const actions: Actions = {
  /** Email + password. */
  login: async (event) => {
    const f = await formObject(event.request);
    const next = safeRedirect(f.next, event.url);
    const res = await formAction(event, async () => {
      const s = await event.locals.app.accounts.login(f, clientContext(event));
      setSessionCookie(event.cookies, event.url, s);
      return null;
    }, { email: f.email, next, form: 'login' });
    if (res) return res;
    redirect(303, next);
  },
  /** "Email me a login link" (leading back to `next`): the same answer whether the address has an account or not. */
  magic: async (event) => {
    const f = await formObject(event.request);
    const next = safeRedirect(f.next, event.url);
    return formAction(event, async () => {
      await event.locals.app.accounts.requestMagicLink({ email: f.email, next }, clientContext(event));
      return { magicSent: true, values: { magicEmail: f.email, next } };
    }, { magicEmail: f.email, next, form: 'magic' });
  },
};
