import { z } from 'zod';
import { fields, idempotencyKey, text } from '../../kernel/validate';

/**
 * Input schemas of the discussions feature, shared by form actions, the JSON API and the
 * OpenAPI document. Messages are i18n codes (`errors.<code>`).
 */
const id = fields.uuid;
const fileIds = z
  .union([z.array(text()), text()])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ''));

export const REACTIONS = ['👍', '❤️', '😄', '🎉', '🤔', '👀'] as const;
export type ReactionEmoji = (typeof REACTIONS)[number];

export const CreateDiscussionInput = z.object({
  groupSlug: text().trim().min(1, 'required').max(100, 'not_found'),
  title: fields.title,
  body: fields.body,
  fileIds,
  key: idempotencyKey,
});
export const EditDiscussionInput = z.object({ discussionId: id, title: fields.title, body: fields.body });
export const DiscussionRef = z.object({ discussionId: id });
const seqParam = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional());
/** Opening a discussion page: which replies to show (after / before a seq, or from a comment). */
export const OpenInput = DiscussionRef.extend({
  after: seqParam,
  before: seqParam,
  comment: z.preprocess((v) => (v === '' || v === null ? undefined : v), id.optional()),
});
export const ModerateInput = z.object({ discussionId: id, on: z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).transform((v) => v === true || v === '1' || v === 'true') });

export const ReplyInput = z.object({ discussionId: id, body: fields.body, fileIds, key: idempotencyKey });
export const EditCommentInput = z.object({ commentId: id, body: fields.body });
export const CommentRef = z.object({ commentId: id });

export const ListInput = z.object({
  groupSlug: text().trim().min(1, 'required').max(100, 'not_found'),
  /** Opaque keyset cursor from the previous page (`lastActivityAt|id`). */
  after: text().max(200).optional().nullable(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const ReactInput = z.object({ targetId: id, emoji: z.enum(REACTIONS, 'bad_value') });

export const MarkAllReadInput = z.object({ groupSlug: text().trim().min(1, 'required').max(100, 'not_found') });

export const DraftKey = text().regex(/^(discussion|comment):[0-9a-f-]{36}$/i, 'not_found');
export const DraftInput = z.object({
  key: DraftKey,
  title: text().max(200, 'too_long').default(''),
  body: text().max(50_000, 'too_long').default(''),
});

export const SearchInput = z.object({
  q: text().trim().max(200, 'too_long').default(''),
  /** Keyset cursor from the previous page (`createdAt|rowid`). */
  after: text().max(200).optional().nullable(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const PreviewInput = z.object({ body: text().max(50_000, 'too_long').default('') });
export const MentionCandidatesInput = z.object({
  groupSlug: text().trim().min(1, 'required').max(100, 'not_found'),
  q: text().trim().max(30).default(''),
});
