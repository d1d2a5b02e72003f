import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { clearSessionCookie, sessionToken } from '$lib/server/domain/accounts/cookie';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user) redirect(303, '/');
  return {};
};

/** Ends this browser's session (POST only: a link or an image cannot log anyone out). */
export const actions: Actions = {
  default: async ({ locals, cookies, url }) => {
    await locals.app.accounts.logout({ token: sessionToken(cookies) });
    clearSessionCookie(cookies, url);
    redirect(303, '/');
  },
};
