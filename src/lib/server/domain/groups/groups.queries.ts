import type { Deps } from '../../kernel/deps';
import type { Role, Visibility } from '../../db/schema';
import { notFound } from '../../kernel/errors';
import type { GroupId, UserId } from '../../kernel/ids';
import { parse } from '../../kernel/validate';
import { abilities, authorize, can, groupSeenBy, userIdOf, type Actor } from '../../policy';
import { renderMarkdown } from '../../markdown';
import { groupFacts, groupSeenBySlug, type GroupRef } from './group';
import { MembersQuery } from './schemas';

/** One node of the groups tree as the actor sees it. */
export type GroupNode = {
  id: GroupId;
  slug: string;
  name: string;
  visibility: Visibility;
  parentId: GroupId | null;
  memberCount: number;
  discussionCount: number;
  lastActivityAt: string;
  /** The actor's role, or null when not a member. */
  role: Role | null;
  /** Unread items for members, null otherwise. */
  unreadCount: number | null;
  children: GroupNode[];
};

/** The abilities a group page needs to show or hide its buttons. */
export const GROUP_PAGE_ABILITIES = ['group.read', 'group.members', 'group.join', 'group.requestJoin', 'group.leave', 'group.manage', 'group.invite', 'group.createSub', 'discussion.create'] as const;

export type MemberView = { userId: UserId; name: string; handle: string; avatarFileId: string | null; role: Role; joinedAt: string };

const cover = (id: string | null) => (id ? `/files/${id}` : null);

/** Read side of groups: the tree, a group's page, its members. */
export function groupsQueries(deps: Deps) {
  const { db } = deps;

  /** A group's external links in their order. Callers check `group.links` (or `group.manage`) first. */
  const linksOf = (groupId: string) => db.selectFrom('groupLinks').select(['id', 'title', 'url', 'position']).where('groupId', '=', groupId).orderBy('position').orderBy('id').execute();

  /** Visible groups (filtered in SQL by `groupSeenBy`), with the actor's role and unread count. */
  async function visibleGroups(actor: Actor) {
    const uid = userIdOf(actor) ?? '';
    const rows = await db
      .selectFrom('groups')
      .leftJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 'groups.id').on('m.userId', '=', uid))
      .select(['groups.id', 'groups.slug', 'groups.name', 'groups.visibility', 'groups.parentId', 'groups.memberCount', 'groups.discussionCount', 'groups.lastActivityAt', 'm.role', 'm.unreadCount'])
      .where((eb) => groupSeenBy(actor, eb, 'groups.id', 'groups.visibility'))
      .limit(2000)
      .execute();
    return rows.map(
      (r): GroupNode => ({
        id: r.id as GroupId,
        slug: r.slug,
        name: r.name,
        visibility: r.visibility,
        parentId: r.parentId as GroupId | null,
        memberCount: Number(r.memberCount),
        discussionCount: Number(r.discussionCount),
        lastActivityAt: r.lastActivityAt,
        role: (r.role as Role | null) ?? null,
        unreadCount: r.role ? Number(r.unreadCount ?? 0) : null,
        children: [],
      }),
    );
  }

  /**
   * The tree of groups the actor may see. A group whose parent is hidden from the actor
   * (a visible working group of a secret group) appears at the top level.
   */
  async function tree(actor: Actor): Promise<GroupNode[]> {
    const nodes = await visibleGroups(actor);
    const byId = new Map(nodes.map((n) => [n.id as string, n]));
    const roots: GroupNode[] = [];
    for (const n of nodes) {
      const p = n.parentId ? byId.get(n.parentId) : undefined;
      (p ? p.children : roots).push(n);
    }
    const sort = (list: GroupNode[]) => {
      list.sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
      list.forEach((n) => sort(n.children));
    };
    sort(roots);
    return roots;
  }

  /**
   * Everything the group page shows; "not found" unless the actor may see the group. Who may
   * see the group gets its name, description and cover; its links only with `group.links`.
   */
  async function overview(actor: Actor, slug: string) {
    const g = await groupSeenBySlug(db, actor, slug);
    const facts = groupFacts(g);
    const uid = userIdOf(actor);
    const [parentRow, subRows, links, membership, pending, myRequest] = await Promise.all([
      g.parentId ? db.selectFrom('groups').select(['id', 'slug', 'name', 'visibility', 'parentId']).where('id', '=', g.parentId).executeTakeFirst() : undefined,
      db
        .selectFrom('groups')
        .select(['id', 'slug', 'name', 'visibility', 'memberCount', 'description'])
        .where('parentId', '=', g.id)
        .where((eb) => groupSeenBy(actor, eb, 'groups.id', 'groups.visibility'))
        .orderBy('name')
        .execute(),
      can(actor, 'group.links', facts) ? linksOf(g.id) : [],
      uid ? db.selectFrom('memberships').select(['role', 'createdAt', 'unreadCount']).where('groupId', '=', g.id).where('userId', '=', uid).executeTakeFirst() : undefined,
      can(actor, 'group.manage', facts)
        ? db.selectFrom('joinRequests').select((eb) => eb.fn.countAll<number>().as('n')).where('groupId', '=', g.id).where('status', '=', 'pending').executeTakeFirst()
        : undefined,
      uid ? db.selectFrom('joinRequests').select(['id', 'createdAt']).where('groupId', '=', g.id).where('userId', '=', uid).where('status', '=', 'pending').executeTakeFirst() : undefined,
    ]);
    const parent = parentRow && can(actor, 'group.see', groupFacts(parentRow)) ? { slug: parentRow.slug, name: parentRow.name } : null;
    return {
      group: {
        id: g.id,
        slug: g.slug,
        name: g.name,
        visibility: g.visibility,
        parentId: g.parentId,
        description: g.description,
        descriptionHtml: renderMarkdown(g.description),
        coverUrl: cover(g.coverFileId),
        memberCount: g.memberCount,
        discussionCount: g.discussionCount,
        createdAt: g.createdAt,
      },
      parent,
      subgroups: subRows.map((s) => ({ slug: s.slug, name: s.name, visibility: s.visibility, memberCount: s.memberCount, role: uid ? (actor.kind === 'user' ? (actor.roles.get(s.id) ?? null) : null) : null })),
      links,
      membership: membership ? { role: membership.role as Role, joinedAt: membership.createdAt } : null,
      pendingRequests: pending ? Number(pending.n) : 0,
      myPendingRequest: !!myRequest,
      abilities: abilities(actor, [...GROUP_PAGE_ABILITIES], facts),
    };
  }

  /** What the edit page needs: the raw fields and the links; `group.manage` only. */
  async function forEdit(actor: Actor, slug: string) {
    const g = await groupSeenBySlug(db, actor, slug);
    authorize(actor, 'group.manage', groupFacts(g));
    const links = await linksOf(g.id);
    return {
      group: { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility, description: g.description, coverUrl: cover(g.coverFileId), parentId: g.parentId },
      links,
    };
  }

  /**
   * Members of a group, by name, with keyset paging (`after` is the opaque cursor of the
   * previous page). Readable per `group.members`.
   */
  async function members(actor: Actor, slug: string, raw: unknown = {}) {
    const input = parse(MembersQuery, raw);
    const g = await groupSeenBySlug(db, actor, slug);
    authorize(actor, 'group.members', groupFacts(g));
    let q = db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.userId')
      .select(['users.id as userId', 'users.name', 'users.handle', 'users.avatarFileId', 'memberships.role', 'memberships.createdAt as joinedAt'])
      .where('memberships.groupId', '=', g.id)
      .orderBy('users.name')
      .orderBy('users.id')
      .limit(input.limit + 1);
    if (input.after) {
      const [name, id] = decodeCursor(input.after);
      q = q.where((eb) => eb.or([eb('users.name', '>', name), eb.and([eb('users.name', '=', name), eb('users.id', '>', id)])]));
    }
    const rows = await q.execute();
    const page = rows.slice(0, input.limit).map((r): MemberView => ({ ...r, userId: r.userId as UserId, role: r.role as Role }));
    const last = page[page.length - 1];
    return {
      group: { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility, memberCount: g.memberCount },
      members: page,
      next: rows.length > input.limit && last ? encodeCursor(last.name, last.userId) : null,
      abilities: abilities(actor, ['group.manage', 'group.invite'], groupFacts(g)),
    };
  }

  /**
   * What the "new group" form needs: checks `group.create`, or `group.createSub` on the
   * parent when a working group is being made, before the form is even shown.
   */
  async function newGroupForm(actor: Actor, parentSlug: string | null) {
    if (!parentSlug) {
      authorize(actor, 'group.create');
      return { parent: null };
    }
    const p = await groupSeenBySlug(db, actor, parentSlug);
    authorize(actor, 'group.createSub', groupFacts(p));
    return { parent: { slug: p.slug, name: p.name } };
  }

  /** The tree and what the actor may do from the groups page. */
  async function index(actor: Actor) {
    return { tree: await tree(actor), abilities: abilities(actor, ['group.create', 'instance.admin']) };
  }

  return { tree, index, overview, forEdit, members, newGroupForm };
}

const encodeCursor = (name: string, id: string) => Buffer.from(JSON.stringify([name, id])).toString('base64url');
function decodeCursor(c: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    /* fall through */
  }
  return notFound();
}

export type { GroupRef };
