import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, loadOr404 } from '$lib/server/http';

/**
 * The member's chats, latest first, as a messenger lists them: their groups' chats and their
 * direct conversations, each with its last message and unread count. Later pages (`before`)
 * go on with the direct conversations (a member has few groups).
 */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const before = event.url.searchParams.get('before') ?? undefined;
    const direct = await event.locals.app.chat.listDirect(event.locals.actor, { before });
    return { ...direct, groupChats: before ? [] : await event.locals.app.chat.groupChatList(event.locals.actor), formKey: formKey(event) };
  });

export const actions: Actions = {
  /**
   * Opens (or finds) the conversation with the people picked (ids) or named ("Fatima,
   * Pieter"); a name that fits several people comes back as a choice. Profiles and member
   * lists post here too, with one person.
   */
  start: async (event) => {
    const fd = await event.request.formData();
    const input = { who: String(fd.get('who') ?? ''), people: fd.getAll('people').map(String), title: String(fd.get('title') ?? ''), key: fd.get('key') ?? undefined };
    const res = await formAction(event, () => event.locals.app.chat.startDirect(event.locals.actor, input), { who: input.who, title: input.title });
    // To the composer: writing is what comes next (and the form's own #new is not kept).
    if (res && 'roomId' in res) redirect(303, `/messages/${res.roomId}#composer`);
    if (res && 'choose' in res) return { ...res, values: { title: input.title } };
    return res;
  },
};
