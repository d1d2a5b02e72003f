import type { Visibility } from '../db/schema';
import { isGroupAdmin, isInstanceAdmin, isMember, isUser, viaSession, type Actor } from './actor';

/** The facts about a group that rules need. */
export type GroupFacts = { id: string; visibility: Visibility; parentId: string | null };
/** A discussion with its group's facts. */
export type DiscussionFacts = { group: GroupFacts; authorId: string; lockedAt: string | null; deletedAt: string | null };
/** A comment (or any authored item) with its discussion's facts. */
export type ItemFacts = { discussion: DiscussionFacts; authorId: string; deletedAt: string | null };

/** A task with its group's facts. */
export type TaskFacts = { group: GroupFacts; authorId: string; deletedAt: string | null };
/** A task comment with its task's facts. */
export type TaskCommentFacts = { task: TaskFacts; authorId: string; deletedAt: string | null };
/** A poll, a proposal or a date poll of a group; `closed` once closed or past its deadline. */
export type PollFacts = { group: GroupFacts; authorId: string; closed: boolean; deletedAt: string | null };
/** An event of a group's agenda (a meeting too). */
export type EventFacts = { group: GroupFacts; authorId: string; cancelled: boolean };

/** A direct conversation: who takes part. */
export type DirectFacts = { participantIds: readonly string[] };

const moderates = (a: Actor, g: GroupFacts) => isInstanceAdmin(a) || isGroupAdmin(a, g.id);
/** Anyone may know a group exists unless it is secret; members and instance admins always. */
const seesGroup = (a: Actor, g: GroupFacts) => g.visibility !== 'secret' || isMember(a, g.id) || isInstanceAdmin(a);
/** Content is public in open groups, members-only otherwise. */
const readsGroup = (a: Actor, g: GroupFacts) => g.visibility === 'open' || isMember(a, g.id) || isInstanceAdmin(a);
const isAuthor = (a: Actor, authorId: string) => isUser(a) && a.userId === authorId;

/**
 * Every ability of the application, one pure predicate each. Services call `authorize`,
 * pages receive `abilities` to hide what the member may not do, and list queries use the
 * SQL twins in `scope.ts`, which must agree with `group.see` and `group.read`.
 */
export const rules = {
  'instance.admin': (a: Actor) => isInstanceAdmin(a),
  'instance.outbox': (a: Actor) => isInstanceAdmin(a),
  // accounts: a member manages their own account; members' identities are seen by members only
  'account.self': (a: Actor) => isUser(a),
  // personal access tokens are created from a session only; admin tokens by instance admins only
  'account.token.create': (a: Actor) => viaSession(a),
  'account.token.admin': (a: Actor) => viaSession(a) && isInstanceAdmin(a),
  'user.see': (a: Actor) => isUser(a),
  'user.manage': (a: Actor) => isInstanceAdmin(a),
  'group.create': (a: Actor) => isInstanceAdmin(a),
  'group.createSub': (a: Actor, parent: GroupFacts) => moderates(a, parent),
  'group.see': (a: Actor, g: GroupFacts) => seesGroup(a, g),
  'group.read': (a: Actor, g: GroupFacts) => readsGroup(a, g),
  'group.members': (a: Actor, g: GroupFacts) => readsGroup(a, g),
  // a group's external links (its shared drive, wiki, calendar) are content, not its presentation:
  // everyone in an open group, members only otherwise, whereas name, description and cover follow `group.see`
  'group.links': (a: Actor, g: GroupFacts) => readsGroup(a, g),
  'group.join': (a: Actor, g: GroupFacts) => isUser(a) && !isMember(a, g.id) && g.visibility === 'open',
  'group.requestJoin': (a: Actor, g: GroupFacts) => isUser(a) && !isMember(a, g.id) && g.visibility === 'closed',
  'group.leave': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'group.manage': (a: Actor, g: GroupFacts) => moderates(a, g),
  'group.invite': (a: Actor, g: GroupFacts) => moderates(a, g),
  'discussion.create': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'discussion.read': (a: Actor, d: DiscussionFacts) => readsGroup(a, d.group),
  'discussion.reply': (a: Actor, d: DiscussionFacts) => isMember(a, d.group.id) && !d.lockedAt && !d.deletedAt,
  'discussion.react': (a: Actor, d: DiscussionFacts) => isMember(a, d.group.id) && !d.deletedAt,
  'discussion.edit': (a: Actor, d: DiscussionFacts) => isAuthor(a, d.authorId) && !d.deletedAt,
  'discussion.delete': (a: Actor, d: DiscussionFacts) => (isAuthor(a, d.authorId) || moderates(a, d.group)) && !d.deletedAt,
  'discussion.moderate': (a: Actor, d: DiscussionFacts) => moderates(a, d.group),
  'comment.edit': (a: Actor, c: ItemFacts) => isAuthor(a, c.authorId) && !c.deletedAt && !c.discussion.deletedAt,
  'comment.delete': (a: Actor, c: ItemFacts) => (isAuthor(a, c.authorId) || moderates(a, c.discussion.group)) && !c.deletedAt,
  'comment.react': (a: Actor, c: ItemFacts) => isMember(a, c.discussion.group.id) && !c.deletedAt,
  // chat: a group's chat is read like the group and written by its members; direct conversations by their participants only
  'chat.read': (a: Actor, g: GroupFacts) => readsGroup(a, g),
  'chat.post': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'chat.moderate': (a: Actor, g: GroupFacts) => moderates(a, g),
  'dm.start': (a: Actor) => isUser(a),
  'dm.read': (a: Actor, d: DirectFacts) => isUser(a) && d.participantIds.includes(a.userId),
  'dm.post': (a: Actor, d: DirectFacts) => isUser(a) && d.participantIds.includes(a.userId),
  // tasks: read like their group; created, moved, edited, taken and commented by its members;
  // deleted by their author or a group admin; the board's columns and time zone by group admins,
  // labels by members
  'task.read': (a: Actor, t: TaskFacts) => readsGroup(a, t.group),
  'task.create': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'task.edit': (a: Actor, t: TaskFacts) => isMember(a, t.group.id) && !t.deletedAt,
  'task.delete': (a: Actor, t: TaskFacts) => (isAuthor(a, t.authorId) || moderates(a, t.group)) && !t.deletedAt,
  'task.columns': (a: Actor, g: GroupFacts) => moderates(a, g),
  'task.labels': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'task.commentDelete': (a: Actor, c: TaskCommentFacts) => (isAuthor(a, c.authorId) || moderates(a, c.task.group)) && !c.deletedAt && !c.task.deletedAt,
  // deciding: polls, proposals and date polls are read like their group's content and answered by its
  // members while open; their author or the group's admins close them (writing the outcome) or remove them
  'poll.create': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'poll.read': (a: Actor, p: PollFacts) => readsGroup(a, p.group) && !p.deletedAt,
  'poll.answer': (a: Actor, p: PollFacts) => isMember(a, p.group.id) && !p.closed && !p.deletedAt,
  'poll.manage': (a: Actor, p: PollFacts) => (isAuthor(a, p.authorId) || moderates(a, p.group)) && !p.deletedAt,
  // whether people without an account may answer the group's date polls through a shared link: its admins decide
  'group.guestPolls': (a: Actor, g: GroupFacts) => moderates(a, g),
  // the agenda: events are read like the group's content (an open group's by visitors too), created and
  // answered by members, changed or cancelled by their author or the group's admins; a meeting's agenda
  // and minutes are written by the members
  'event.create': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  'event.read': (a: Actor, e: EventFacts) => readsGroup(a, e.group),
  'event.rsvp': (a: Actor, e: EventFacts) => isMember(a, e.group.id) && !e.cancelled,
  'event.manage': (a: Actor, e: EventFacts) => isAuthor(a, e.authorId) || moderates(a, e.group),
  'meeting.agenda': (a: Actor, e: EventFacts) => isMember(a, e.group.id) && !e.cancelled,
  'meeting.minutes': (a: Actor, e: EventFacts) => isMember(a, e.group.id),
  // a member's private calendar feed (their groups' events)
  'calendar.feed': (a: Actor) => isUser(a),
  // email: a member chooses how much mail they get, in general and for each of their groups
  'email.settings': (a: Actor) => isUser(a),
  'email.groupSettings': (a: Actor, g: GroupFacts) => isMember(a, g.id),
  // notifications: a member reads their own inbox and sets their own preferences
  'notifications.self': (a: Actor) => isUser(a),
} as const;

export type Ability = keyof typeof rules;
export type ResourceOf<A extends Ability> = Parameters<(typeof rules)[A]>[1];
