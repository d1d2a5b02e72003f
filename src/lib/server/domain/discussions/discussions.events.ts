/** Events of discussions. `mentioned` lists the members named with @handle in the text. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'discussion.started': { discussionId: string; seq: number; title: string; mentioned: string[] };
    'discussion.edited': { discussionId: string; mentioned: string[] };
    'discussion.deleted': { discussionId: string };
    'discussion.pinned': { discussionId: string };
    'discussion.unpinned': { discussionId: string };
    'discussion.locked': { discussionId: string };
    'discussion.unlocked': { discussionId: string };
    'comment.posted': { discussionId: string; commentId: string; seq: number; mentioned: string[] };
    'comment.edited': { discussionId: string; commentId: string; mentioned: string[] };
    'comment.deleted': { discussionId: string; commentId: string };
    'reaction.added': { targetId: string; discussionId: string; emoji: string };
    'reaction.removed': { targetId: string; discussionId: string; emoji: string };
    'group.marked_read': Record<string, never>;
  }
}
export {};
