/**
 * What a member may do with one chat message, from what they may do in its room. One rule for
 * the server (the menu opened by address, src/lib/server/domain/chat/menu.ts) and the browser
 * (the room's one menu): no copy of it to drift. The room's abilities come from the policy,
 * on the server; every action is checked again by the chat service.
 */

/** What the member may do in a room (decided by the policy for the page). */
export type RoomAbilities = { post: boolean; moderate: boolean; makeDiscussion: boolean };
/** What the member may do with one message: the items of its menu. */
export type MessageAbilities = { react: boolean; reply: boolean; edit: boolean; delete: boolean; makeDiscussion: boolean };

/**
 * Posting in the room gives reactions and replies, the author edits and deletes, a moderator
 * deletes anyone's. Null when nothing applies (a visitor, a deleted message, a reader who may
 * not post), so the message gets no menu at all.
 */
export function messageAbilities(can: RoomAbilities, me: { id: string } | null, m: { author: { id: string }; deletedAt: string | null }): MessageAbilities | null {
  if (!me || m.deletedAt) return null;
  const author = m.author.id === me.id;
  const may = { react: can.post, reply: can.post, edit: can.post && author, delete: (can.post && author) || can.moderate, makeDiscussion: can.post && can.makeDiscussion };
  return Object.values(may).some(Boolean) ? may : null;
}
