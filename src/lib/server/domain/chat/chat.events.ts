/** Events of chat rooms and direct conversations. */
declare module '../../kernel/events' {
  interface EventPayloads {
    /** `mentioned`: members named with @handle who may read the room. */
    'chat.message_posted': { roomId: string; messageId: string; seq: number; mentioned?: string[] };
    'chat.message_edited': { roomId: string; messageId: string; seq: number; mentioned?: string[] };
    'chat.message_deleted': { roomId: string; messageId: string; seq: number };
    'chat.message_reacted': { roomId: string; messageId: string; seq: number };
    'chat.direct_opened': { roomId: string };
  }
}
export {};
