import { redirect } from '@sveltejs/kit';
import type { Actions } from './$types';
import { formAction, formObject } from '$lib/server/http';

/**
 * Each action redirects on success (post/redirect/get), so a language change shows the
 * next page in the new language and a reload does not send the form again.
 */
export const actions: Actions = {
  /** Name, @handle, language, time zone, bio. */
  save: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.accounts.updateProfile(event.locals.actor, f), f);
    if (res && 'status' in res) return res;
    redirect(303, '/profile?saved=profile');
  },
  /** Stores the photo (the files service checks it and crops it square), then uses it. */
  avatar: async (event) => {
    const f = await formObject(event.request);
    const file = f.avatar instanceof File && f.avatar.size > 0 ? f.avatar : null;
    if (!file) redirect(303, '/profile');
    const res = await formAction(event, async () => {
      const { app, actor } = event.locals;
      const stored = await app.files.upload(actor, { file, purpose: 'avatar' });
      // If the photo is not taken up, it does not stay behind as an orphan.
      return app.accounts.setAvatar(actor, { fileId: stored.id }).finally(() => app.files.dropUnlinked([stored.id]));
    });
    if (res && 'status' in res) return res;
    redirect(303, '/profile?saved=avatar');
  },
  removeAvatar: async (event) => {
    const res = await formAction(event, () => event.locals.app.accounts.setAvatar(event.locals.actor, { fileId: null }));
    if (res && 'status' in res) return res;
    redirect(303, '/profile?saved=avatar');
  },
};
