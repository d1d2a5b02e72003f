import type { Deps } from '../../kernel/deps';
import type { DiscussionId, GroupId } from '../../kernel/ids';
import { groupReadBy, isUser, type Actor } from '../../policy';
import { usersById } from './discussions.repo';
import { chatMentions } from '../chat/chat.repo';
import { newCounts } from './reads';
import { person, presentSummary, type DiscussionSummary, type PersonView } from './views';

export type HomeGroup = { id: GroupId; slug: string; name: string; unreadCount: number; lastActivityAt: string };
/** A mention in a discussion (`chat: null`) or in a chat message (`discussionId: null`, `title` is an excerpt). */
export type MentionView = {
  id: string;
  actor: PersonView;
  discussionId: DiscussionId | null;
  title: string;
  group: { slug: string; name: string } | null;
  chat: { roomId: string; kind: 'group' | 'direct'; title: string } | null;
  createdAt: string;
  url: string;
  read: boolean;
};
export type Home =
  | { kind: 'visitor'; openGroups: { id: GroupId; slug: string; name: string; description: string; memberCount: number }[] }
  | { kind: 'member'; groups: HomeGroup[]; mentions: MentionView[]; recent: DiscussionSummary[] };

const RECENT = 10;

export function createHome(deps: Deps) {
  const { db } = deps;
  return {
    /**
     * The home page. For a member: their groups with unread counts (kept on write, never
     * counted here), recent mentions, and recent discussions of their groups (the top few
     * per group through the (group_id, last_activity_at) index, merged), so it costs the
     * same at 100,000 discussions as at 1,000. For a visitor: the open groups.
     */
    async home(actor: Actor): Promise<Home> {
      if (!isUser(actor)) {
        const openGroups = await db
          .selectFrom('groups')
          .select(['id', 'slug', 'name', 'description', 'memberCount'])
          .where('visibility', '=', 'open')
          .orderBy('name')
          .limit(100)
          .execute();
        return { kind: 'visitor', openGroups: openGroups.map((g) => ({ ...g, id: g.id as GroupId, memberCount: Number(g.memberCount) })) };
      }
      const me = actor.userId;
      const groups = await db
        .selectFrom('memberships')
        .innerJoin('groups', 'groups.id', 'memberships.groupId')
        .select(['groups.id', 'groups.slug', 'groups.name', 'groups.lastActivityAt', 'memberships.unreadCount'])
        .where('memberships.userId', '=', me)
        .orderBy('groups.lastActivityAt', 'desc')
        .execute();

      const mentionRows = await db
        .selectFrom('notifications')
        .innerJoin('discussions', 'discussions.id', 'notifications.discussionId')
        .innerJoin('groups', 'groups.id', 'discussions.groupId')
        .leftJoin('comments', 'comments.id', 'notifications.commentId')
        .select(['notifications.id', 'notifications.actorId', 'notifications.commentId', 'notifications.createdAt', 'notifications.readAt', 'discussions.id as discussionId', 'discussions.title', 'groups.slug', 'groups.name'])
        .where('notifications.userId', '=', me)
        .where('notifications.kind', '=', 'mention')
        .where('discussions.deletedAt', 'is', null)
        .where('comments.deletedAt', 'is', null)
        .where((eb) => groupReadBy(actor, eb, 'groups.id', 'groups.visibility'))
        .orderBy('notifications.createdAt', 'desc')
        .orderBy('notifications.id', 'desc')
        .limit(10)
        .execute();

      const perGroup = await Promise.all(
        groups.slice(0, 50).map((g) =>
          db
            .selectFrom('discussions')
            .selectAll()
            .where('groupId', '=', g.id)
            .where('deletedAt', 'is', null)
            .orderBy('lastActivityAt', 'desc')
            .orderBy('id', 'desc')
            .limit(RECENT)
            .execute(),
        ),
      );
      const recentRows = perGroup
        .flat()
        .sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? (a.id < b.id ? 1 : -1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1))
        .slice(0, RECENT);
      const chatRows = await chatMentions(db, actor, 10);
      const users = await usersById(db, [...recentRows.map((r) => r.authorId), ...mentionRows.map((m) => m.actorId ?? ''), ...chatRows.map((m) => m.actorId ?? '')].filter(Boolean));
      const counts = await newCounts(db, actor, recentRows);
      const byId = new Map(groups.map((g) => [g.id, g]));
      return {
        kind: 'member',
        groups: groups.map((g) => ({ id: g.id as GroupId, slug: g.slug, name: g.name, unreadCount: Number(g.unreadCount), lastActivityAt: g.lastActivityAt })),
        mentions: [
          ...mentionRows.map(
            (m): MentionView => ({
              id: m.id,
              actor: person(users, m.actorId ?? ''),
              discussionId: m.discussionId as DiscussionId,
              title: m.title,
              group: { slug: m.slug, name: m.name },
              chat: null,
              createdAt: m.createdAt,
              url: m.commentId ? `/d/${m.discussionId}?comment=${m.commentId}#c-${m.commentId}` : `/d/${m.discussionId}`,
              read: m.readAt !== null,
            }),
          ),
          ...chatRows.map(
            (m): MentionView => ({
              id: m.id,
              actor: person(users, m.actorId ?? ''),
              discussionId: null,
              title: m.excerpt,
              group: m.room.group,
              chat: { roomId: m.room.id, kind: m.room.kind, title: m.room.title },
              createdAt: m.createdAt,
              url: m.url,
              read: m.readAt !== null,
            }),
          ),
        ]
          .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
          .slice(0, 10),
        recent: recentRows.map((r) => presentSummary({ ...r, group: byId.get(r.groupId)! }, users, counts.get(r.id) ?? 0)),
      };
    },
  };
}
