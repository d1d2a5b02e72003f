import { z } from 'zod';
import type { Deps } from '../../kernel/deps';
import { fields } from '../../kernel/validate';
import { can, isUser, type Actor } from '../../policy';
import { authorizeRoom, canPostRoom, messageView, roomOr404, type MessageView, type RoomRow } from './chat.repo';

/** What a member may do with one message: the items of its menu. */
export type MessageAbilities = { react: boolean; reply: boolean; edit: boolean; delete: boolean; makeDiscussion: boolean };

const MenuInput = z.object({ roomId: fields.uuid, messageId: fields.uuid });

/**
 * The same rules as the service's edit, delete, react and toDiscussion: posting in the room
 * gives reactions and replies, the author edits and deletes, a moderator deletes anyone's.
 * Null when nothing applies, so a reader who may not post gets no menu at all.
 */
export function messageAbilities(actor: Actor, room: RoomRow, m: MessageView): MessageAbilities | null {
  if (!isUser(actor) || m.deletedAt) return null;
  const post = canPostRoom(actor, room);
  const moderate = room.group ? can(actor, 'chat.moderate', room.group) : false;
  const author = m.author.id === actor.userId;
  const may = {
    react: post,
    reply: post,
    edit: post && author,
    delete: (post && author) || moderate,
    makeDiscussion: !!room.group && post && can(actor, 'discussion.create', room.group),
  };
  return Object.values(may).some(Boolean) ? may : null;
}

/** The menu of one message, opened by address on a page without JavaScript. */
export function createMessageMenu(deps: Deps) {
  const { db } = deps;
  return {
    /**
     * One message's menu for the page that shows its room (`?actions=<id>` without JavaScript):
     * what the actor may do with it is decided here, never taken from the address. A message
     * of another room, a deleted one, or a malformed id gives no menu (null); a room the actor
     * may not read is not found.
     */
    async messageMenu(actor: Actor, raw: unknown): Promise<{ message: MessageView; may: MessageAbilities } | null> {
      const input = MenuInput.safeParse(raw);
      if (!input.success) return null;
      const room = await roomOr404(db, input.data.roomId);
      authorizeRoom(actor, room, 'read');
      const message = await messageView(db, input.data.messageId);
      if (!message || message.roomId !== room.id) return null;
      const may = messageAbilities(actor, room, message);
      return may ? { message, may } : null;
    },
  };
}
