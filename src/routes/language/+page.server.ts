import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { isLocale } from '$lib/i18n';
import { safeRedirect } from '$lib/server/kernel/redirect';

export const load: PageServerLoad = () => redirect(303, '/');

/** Switches the interface language: stored on the profile when signed in, in a cookie otherwise. */
export const actions: Actions = {
  default: async ({ request, cookies, locals, url }) => {
    const fd = await request.formData();
    const locale = String(fd.get('locale') ?? '');
    const next = fd.get('next');
    if (isLocale(locale)) {
      cookies.set('lang', locale, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86400, secure: url.protocol === 'https:' });
      await locals.app.accounts.setLocale(locals.actor, { locale });
    }
    redirect(303, safeRedirect(next, url));
  },
};
