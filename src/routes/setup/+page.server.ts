import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject } from '$lib/server/http';
import { SESSION_COOKIE } from '$lib/server/domain/accounts/sessions';

export const load: PageServerLoad = async ({ locals }) => {
  if (!(await locals.app.instance.needsSetup())) redirect(303, '/');
  return {};
};

/** First run: creates the association and its first administrator, then signs them in. */
export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, async () => {
      const user = await event.locals.app.instance.setup({ ...f, locale: event.locals.locale });
      const s = await event.locals.app.sessions.start(user.id, event.request.headers.get('user-agent') ?? '');
      event.cookies.set(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:', expires: s.expiresAt });
      return null;
    }, f);
    if (res) return res;
    redirect(303, '/');
  },
};
