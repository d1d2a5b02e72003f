import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => ({
  settings: await loadOr404(event, () => event.locals.app.instance.getSettings(event.locals.actor)),
});

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => {
      await event.locals.app.instance.updateSettings(event.locals.actor, f);
      return { ok: event.locals.t('accounts.admin.saved') };
    }, f);
  },
};
