import { z } from 'zod';
import type { Deps } from '../../kernel/deps';
import { fields } from '../../kernel/validate';
import { can, isUser, type Actor } from '../../policy';
import { messageAbilities, type MessageAbilities, type RoomAbilities } from '../../../chat-abilities';
import { authorizeRoom, canPostRoom, messageView, roomOr404, type MessageView, type RoomRow } from './chat.repo';

const MenuInput = z.object({ roomId: fields.uuid, messageId: fields.uuid });

/** What the actor may do in a room, decided by the policy: for the room's page and its menus. */
export function roomAbilities(actor: Actor, room: RoomRow): RoomAbilities {
  return {
    post: canPostRoom(actor, room),
    moderate: room.group ? can(actor, 'chat.moderate', room.group) : false,
    makeDiscussion: room.group ? can(actor, 'discussion.create', room.group) : false,
  };
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
      const may = messageAbilities(roomAbilities(actor, room), isUser(actor) ? { id: actor.userId } : null, message);
      return may ? { message, may } : null;
    },
  };
}
