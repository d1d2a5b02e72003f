import type { Deps } from '../../kernel/deps';
import type { DiscussionId, GroupId } from '../../kernel/ids';
import { isUser, type Actor } from '../../policy';
import { usersById } from './discussions.repo';
import { recentNotices } from '../notifications';
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

      // Mentions in discussions and chats, from the notifications (only what the member may still read).
      const mentionRows = await recentNotices(db, actor, deps.noticeSubjects ?? {}, { reasons: ['mentioned'], limit: 10 });

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
      const users = await usersById(db, [...recentRows.map((r) => r.authorId), ...mentionRows.map((m) => m.actorId ?? '')].filter(Boolean));
      const counts = await newCounts(db, actor, recentRows);
      const byId = new Map(groups.map((g) => [g.id, g]));
      return {
        kind: 'member',
        groups: groups.map((g) => ({ id: g.id as GroupId, slug: g.slug, name: g.name, unreadCount: Number(g.unreadCount), lastActivityAt: g.lastActivityAt })),
        mentions: mentionRows.map(
          (m): MentionView => ({
            id: m.id,
            actor: person(users, m.actorId ?? ''),
            discussionId: m.subjectKind === 'discussion' ? (m.subjectId as DiscussionId) : null,
            title: m.subjectKind === 'chat' ? (m.data.excerpt ?? '') : m.data.title,
            group: m.data.group ?? null,
            chat: m.subjectKind === 'chat' ? { roomId: m.subjectId, kind: m.data.group ? 'group' : 'direct', title: m.data.group ? m.data.title : '' } : null,
            createdAt: m.createdAt,
            url: m.data.url,
            read: m.readAt !== null,
          }),
        ),
        recent: recentRows.map((r) => presentSummary({ ...r, group: byId.get(r.groupId)! }, users, counts.get(r.id) ?? 0)),
      };
    },
  };
}
