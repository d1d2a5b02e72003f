import type { Comment } from '../../db/schema';
import type { CommentId, DiscussionId, GroupId, UserId } from '../../kernel/ids';
import type { FileView } from '../files/files.service';
import type { DiscussionRow } from './discussions.repo';
import type { ReactionEmoji } from './schemas';

/** Presenters: the only shapes pages and the JSON API see. Deleted items carry no body. */
export type PersonView = { id: UserId; name: string; handle: string; avatarFileId: string | null };
export type ReactionView = { emoji: ReactionEmoji; count: number; mine: boolean };
export type DiscussionSummary = {
  id: DiscussionId;
  group: { id: GroupId; slug: string; name: string };
  title: string;
  author: PersonView;
  commentCount: number;
  pinned: boolean;
  locked: boolean;
  createdAt: string;
  lastActivityAt: string;
  /** Items not read yet by the member (null for visitors and non-members). */
  newCount: number | null;
};
export type DiscussionView = DiscussionSummary & {
  seq: number;
  lastSeq: number;
  body: string | null;
  bodyHtml: string | null;
  editedAt: string | null;
  deleted: boolean;
  reactions: ReactionView[];
  files: FileView[];
};
export type CommentView = {
  id: CommentId;
  discussionId: DiscussionId;
  author: PersonView;
  seq: number;
  body: string | null;
  bodyHtml: string | null;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  reactions: ReactionView[];
  files: FileView[];
};

const unknownPerson = (id: string): PersonView => ({ id: id as UserId, name: '?', handle: '', avatarFileId: null });
export const person = (users: Map<string, { id: string; name: string; handle: string; avatarFileId: string | null }>, id: string): PersonView =>
  (users.get(id) as PersonView | undefined) ?? unknownPerson(id);

type Users = Parameters<typeof person>[0];

export function presentSummary(
  d: Pick<DiscussionRow, 'id' | 'title' | 'authorId' | 'commentCount' | 'pinnedAt' | 'lockedAt' | 'createdAt' | 'lastActivityAt'> & { group: { id: string; slug: string; name: string } },
  users: Users,
  newCount: number | null,
): DiscussionSummary {
  return {
    id: d.id as DiscussionId,
    group: { id: d.group.id as GroupId, slug: d.group.slug, name: d.group.name },
    title: d.title,
    author: person(users, d.authorId),
    commentCount: Number(d.commentCount),
    pinned: d.pinnedAt !== null,
    locked: d.lockedAt !== null,
    createdAt: d.createdAt,
    lastActivityAt: d.lastActivityAt,
    newCount,
  };
}

export function presentDiscussion(d: DiscussionRow, users: Users, extra: { newCount: number | null; reactions: ReactionView[]; files: FileView[] }): DiscussionView {
  const deleted = d.deletedAt !== null;
  return {
    ...presentSummary(d, users, extra.newCount),
    seq: Number(d.seq),
    lastSeq: Number(d.lastSeq),
    body: deleted ? null : d.body,
    bodyHtml: deleted ? null : d.bodyHtml,
    editedAt: d.editedAt,
    deleted,
    reactions: deleted ? [] : extra.reactions,
    files: deleted ? [] : extra.files,
  };
}

export function presentComment(c: Comment, users: Users, reactions: ReactionView[], files: FileView[]): CommentView {
  const deleted = c.deletedAt !== null;
  return {
    id: c.id as CommentId,
    discussionId: c.discussionId as DiscussionId,
    author: person(users, c.authorId),
    seq: Number(c.seq),
    body: deleted ? null : c.body,
    bodyHtml: deleted ? null : c.bodyHtml,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    deleted,
    reactions: deleted ? [] : reactions,
    files: deleted ? [] : files,
  };
}
