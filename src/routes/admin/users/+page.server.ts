import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams.get('q') ?? '';
  const after = event.url.searchParams.get('after') ?? undefined;
  return { q, page: await loadOr404(event, () => event.locals.app.accounts.listUsers(event.locals.actor, { q: q || undefined, after })) };
};

const done = (event: Parameters<Actions[string]>[0]) => ({ ok: event.locals.t('accounts.admin.updated') });

export const actions: Actions = {
  admin: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => (await event.locals.app.accounts.setAdmin(event.locals.actor, f), done(event)));
  },
  disable: async (event) => {
    const f = await formObject(event.request);
    return formAction(event, async () => (await event.locals.app.accounts.setDisabled(event.locals.actor, f), done(event)));
  },
};
