import type { RequestEvent } from '@sveltejs/kit';
import { formAction, formObject } from '$lib/server/http';

/**
 * The form actions of an invitation page, shared by a group's page (`slug`) and the
 * association's page (`null`). Each calls one service function.
 */
export function inviteActions(slugOf: (e: RequestEvent) => string | null) {
  return {
    email: async (event: RequestEvent) => {
      const f = await formObject(event.request);
      return formAction(
        event,
        async () => {
          const r = await event.locals.app.groups.invitations.inviteByEmail(event.locals.actor, slugOf(event), f);
          const t = event.locals.t;
          const ok = [t('groups.invite.sent', { count: r.invited.length }), r.skipped.length ? t('groups.invite.skipped', { list: r.skipped.join(', ') }) : ''].filter(Boolean).join(' ');
          return { ok, which: 'email' };
        },
        { ...f, which: 'email' },
      );
    },
    link: async (event: RequestEvent) => {
      const f = await formObject(event.request);
      return formAction(
        event,
        async () => {
          const r = await event.locals.app.groups.invitations.createLink(event.locals.actor, slugOf(event), f);
          return { link: r.url, which: 'link' };
        },
        { ...f, which: 'link' },
      );
    },
    revoke: async (event: RequestEvent) => {
      const f = await formObject(event.request);
      return formAction(event, async () => {
        await event.locals.app.groups.invitations.revoke(event.locals.actor, slugOf(event), f);
        return { ok: event.locals.t('groups.invite.revoked') };
      });
    },
  };
}
