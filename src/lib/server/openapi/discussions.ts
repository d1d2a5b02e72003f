import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import {
  CreateDiscussionInput,
  DraftInput,
  EditCommentInput,
  EditDiscussionInput,
  MarkAllReadInput,
  ModerateInput,
  PreviewInput,
  ReactInput,
  REACTIONS,
  ReplyInput,
} from '../domain/discussions/schemas';

const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const ok = (description: string, ref?: string) => ({ description, content: { 'application/json': { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: 'object' } } } });
const uuid = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description });
const q = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'query', schema, description });
const discussionId = uuid('id', 'Discussion id');
const commentId = uuid('commentId', 'Reply (comment) id');
const tags = ['discussions'];

const person = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, handle: { type: 'string' }, avatarFileId: { type: ['string', 'null'] } } };
const reaction = { type: 'object', properties: { emoji: { type: 'string', enum: [...REACTIONS] }, count: { type: 'integer' }, mine: { type: 'boolean' } } };
const file = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, mime: { type: 'string' }, size: { type: 'integer' }, isImage: { type: 'boolean' }, url: { type: 'string' }, previewUrl: { type: ['string', 'null'] } } };
const summary = {
  id: { type: 'string' },
  group: { type: 'object', properties: { id: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' } } },
  title: { type: 'string' },
  author: person,
  commentCount: { type: 'integer' },
  pinned: { type: 'boolean' },
  locked: { type: 'boolean' },
  createdAt: { type: 'string', format: 'date-time' },
  lastActivityAt: { type: 'string', format: 'date-time' },
  newCount: { type: ['integer', 'null'], description: 'Items you have not read (null when you are not a member)' },
};

/** Discussions, replies, reactions, read marks, drafts, search, preview and mention suggestions. Hidden content answers 404. */
const fragment: Fragment = {
  paths: {
    '/discussions': {
      get: {
        tags,
        summary: 'A group’s discussions',
        description: 'Pinned first (first page only), then latest activity; keyset-paged: pass `next` as `after`.',
        parameters: [q('group', 'Group slug'), q('after', 'Cursor from `next`'), q('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 100, default: 25 })],
        responses: { '200': ok('`{ group, pinned, items, next, can }`', 'DiscussionList'), ...errorResponses },
      },
      post: {
        tags,
        summary: 'Start a discussion (members)',
        description: 'Markdown body; `@handle` mentions notify members who may read it. `fileIds`: attachments uploaded before through the files API.',
        requestBody: body(CreateDiscussionInput),
        responses: { '201': ok('The discussion', 'Discussion'), ...errorResponses },
      },
    },
    '/discussions/{id}': {
      parameters: [discussionId],
      get: { tags, summary: 'One discussion (read marks unchanged)', responses: { '200': ok('The discussion', 'Discussion'), ...errorResponses } },
      patch: { tags, summary: 'Edit (author)', requestBody: body(EditDiscussionInput.omit({ discussionId: true })), responses: { '200': ok('The discussion', 'Discussion'), ...errorResponses } },
      delete: { tags, summary: 'Delete (author or group admin)', description: 'Soft delete: the text is no longer served nor searchable.', responses: { '200': ok('Deleted'), ...errorResponses } },
    },
    '/discussions/{id}/comments': {
      parameters: [discussionId],
      get: { tags, summary: 'The discussion with its replies, oldest first (read marks unchanged)', responses: { '200': ok('`{ discussion, comments }`'), ...errorResponses } },
      post: { tags, summary: 'Reply (members; not when locked)', requestBody: body(ReplyInput.omit({ discussionId: true })), responses: { '201': ok('The reply', 'Comment'), ...errorResponses } },
    },
    '/discussions/{id}/read': {
      parameters: [discussionId],
      post: { tags, summary: 'Mark the discussion read up to its last item', responses: { '200': ok('`{ unreadCount }` of the group for you'), ...errorResponses } },
    },
    '/discussions/{id}/pin': { parameters: [discussionId], post: { tags, summary: 'Pin or unpin (group admins)', requestBody: body(ModerateInput.omit({ discussionId: true })), responses: { '200': ok('The discussion', 'Discussion'), ...errorResponses } } },
    '/discussions/{id}/lock': { parameters: [discussionId], post: { tags, summary: 'Lock or unlock (group admins)', requestBody: body(ModerateInput.omit({ discussionId: true })), responses: { '200': ok('The discussion', 'Discussion'), ...errorResponses } } },
    '/discussions/comments/{commentId}': {
      parameters: [commentId],
      get: { tags, summary: 'One reply', responses: { '200': ok('The reply', 'Comment'), ...errorResponses } },
      patch: { tags, summary: 'Edit a reply (author); it then shows `editedAt`', requestBody: body(EditCommentInput.omit({ commentId: true })), responses: { '200': ok('The reply', 'Comment'), ...errorResponses } },
      delete: { tags, summary: 'Delete a reply (author or group admin)', responses: { '200': ok('Deleted'), ...errorResponses } },
    },
    '/discussions/reactions': {
      post: { tags, summary: 'Toggle your reaction on a discussion or reply', description: `Palette: ${REACTIONS.join(' ')}`, requestBody: body(ReactInput), responses: { '200': ok('`{ targetId, added, reactions }`'), ...errorResponses } },
    },
    '/discussions/read-all': {
      post: { tags, summary: 'Mark everything in a group as read', requestBody: body(MarkAllReadInput), responses: { '200': ok('`{ unreadCount: 0 }`'), ...errorResponses } },
    },
    '/drafts/{key}': {
      parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string', pattern: '^(discussion|comment):[0-9a-f-]{36}$' }, description: '`discussion:<groupId>` or `comment:<discussionId>`' }],
      get: { tags, summary: 'Your draft', responses: { '200': ok('`{ draft }` (null when none)'), ...errorResponses } },
      put: { tags, summary: 'Save your draft (empty title and body remove it)', requestBody: body(DraftInput.omit({ key: true })), responses: { '200': ok('`{ draft }`'), ...errorResponses } },
      delete: { tags, summary: 'Discard your draft', responses: { '200': ok('Discarded'), ...errorResponses } },
    },
    '/search': {
      get: {
        tags,
        summary: 'Full-text search over discussions and replies you may read',
        description: 'Every word must match; newest first; keyset-paged with `next`. Snippets come as parts `{ text, hit }`.',
        parameters: [q('q', 'Words to find'), q('after', 'Cursor from `next`'), q('limit', 'Page size', { type: 'integer', minimum: 1, maximum: 50, default: 20 })],
        responses: { '200': ok('`{ q, hits, next }`'), ...errorResponses },
      },
    },
    '/preview': { post: { tags, summary: 'Render markdown as a post would be shown', requestBody: body(PreviewInput), responses: { '200': ok('`{ html }`'), ...errorResponses } } },
    '/groups/{slug}/mention-candidates': {
      parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }, q('q', 'Handle or name prefix (without @)')],
      get: { tags, summary: 'Members to suggest after @', responses: { '200': ok('`{ items: [{ id, handle, name }] }`, at most 8'), ...errorResponses } },
    },
  },
  schemas: {
    DiscussionSummary: { type: 'object', properties: summary },
    Discussion: {
      type: 'object',
      properties: {
        ...summary,
        seq: { type: 'integer' },
        lastSeq: { type: 'integer' },
        body: { type: ['string', 'null'], description: 'Markdown; null once deleted' },
        bodyHtml: { type: ['string', 'null'] },
        editedAt: { type: ['string', 'null'] },
        deleted: { type: 'boolean' },
        reactions: { type: 'array', items: reaction },
        files: { type: 'array', items: file },
      },
    },
    Comment: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        discussionId: { type: 'string' },
        author: person,
        seq: { type: 'integer' },
        body: { type: ['string', 'null'], description: 'Markdown; null once deleted' },
        bodyHtml: { type: ['string', 'null'] },
        createdAt: { type: 'string' },
        editedAt: { type: ['string', 'null'] },
        deleted: { type: 'boolean' },
        reactions: { type: 'array', items: reaction },
        files: { type: 'array', items: file },
      },
    },
    DiscussionList: {
      type: 'object',
      properties: {
        group: { type: 'object' },
        pinned: { type: 'array', items: { $ref: '#/components/schemas/DiscussionSummary' } },
        items: { type: 'array', items: { $ref: '#/components/schemas/DiscussionSummary' } },
        next: { type: ['string', 'null'] },
      },
    },
  },
};
export default fragment;
