import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import { EditInput, OpenDirectInput, ReactInput, ReadInput, SendInput, ToDiscussionInput } from '../domain/chat/schemas';

const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const ok = (description: string, ref?: string) => ({ description, content: { 'application/json': { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: 'object' } } } });
const id = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description });
const q = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'integer' }, description });
const tags = ['chat'];
const room = id('id', 'Chat room id (a group’s chat or a direct conversation)');
const message = id('id', 'Chat message id');

/**
 * Chat over HTTP. The live path is the WebSocket at `/ws` (same authentication): frames
 * `resume {rooms: {roomId: lastSeq}}`, `send {room, key, body, parentId?}`, `edit`, `delete`,
 * `react`, `typing`, `read`, `ping`; the server answers `event {room, seq, kind, message}`
 * (the same frames as `GET …/events`), `ack` (after commit), `presence`, `typing` and
 * `error {code, message}`. Every event has a per-room `seq`; resume from the last one seen.
 */
const fragment: Fragment = {
  paths: {
    '/chat/groups/{slug}': {
      parameters: [{ name: 'slug', in: 'path', required: true, schema: { type: 'string' } }],
      get: { tags, summary: 'A group’s chat room and its latest messages', description: 'Readable by whoever may read the group; created on first use. Also marks the shown messages read.', responses: { '200': ok('Room, messages, read cursor, unread count, abilities'), ...errorResponses } },
    },
    '/chat/rooms/{id}/messages': {
      parameters: [room],
      get: { tags, summary: 'Messages by keyset on seq', parameters: [q('before', 'Older than this seq'), q('after', 'Newer than this seq'), q('limit', '1–200, default 50')], responses: { '200': ok('`{ messages }`, oldest first', 'ChatMessages'), ...errorResponses } },
      post: { tags, summary: 'Post a message', description: 'Idempotent by `key` (chosen by the client, unique per sender): a resend returns the first message with `duplicate: true`. Answered after commit.', requestBody: body(SendInput.omit({ roomId: true, files: true })), responses: { '201': ok('`{ message, seq, duplicate }`'), ...errorResponses } },
    },
    '/chat/rooms/{id}/events': {
      parameters: [room],
      get: { tags, summary: 'Events after a cursor, in order', parameters: [q('after', 'The last seq you have'), q('limit', '1–1000, default 500')], responses: { '200': ok('`{ events }`: the same frames the WebSocket sends'), ...errorResponses } },
    },
    '/chat/rooms/{id}/read': { parameters: [room], post: { tags, summary: 'Move your read cursor', requestBody: body(ReadInput.omit({ roomId: true })), responses: { '200': ok('`{ readSeq, unread }`'), ...errorResponses } } },
    '/chat/messages/{id}': {
      parameters: [message],
      patch: { tags, summary: 'Edit your message', requestBody: body(EditInput.omit({ messageId: true })), responses: { '200': ok('`{ message, seq }`'), ...errorResponses } },
      delete: { tags, summary: 'Delete a message (its author, or a group admin)', responses: { '200': ok('`{ message, seq }`'), ...errorResponses } },
    },
    '/chat/messages/{id}/reactions': { parameters: [message], post: { tags, summary: 'Add or remove your reaction', requestBody: body(ReactInput.omit({ messageId: true })), responses: { '200': ok('`{ message, seq }`'), ...errorResponses } } },
    '/chat/messages/{id}/discussion': { parameters: [message], post: { tags, summary: 'Make a discussion from a chat message', requestBody: body(ToDiscussionInput.omit({ messageId: true })), responses: { '201': ok('`{ discussionId, url }`'), ...errorResponses } } },
    '/chat/unread': {
      get: {
        tags,
        summary: 'Your chats with unread messages: group chats and direct conversations, latest first',
        description: 'What the navigation counts. Live: the WebSocket sends `notice {kind: "chat.message_posted", room, group}` when one of them gets a message (for a group, to connections that `watch` it).',
        responses: { '200': ok('`{ total, chats: [{ roomId, kind, title, url, unread, lastActivityAt, group }], groupIds }`'), ...errorResponses },
      },
    },
    '/chat/people': {
      get: {
        tags,
        summary: 'Members whose name or handle contains q, best first (to pick people for a conversation)',
        parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' }, description: 'Part of a name or handle; case and accents are ignored' }, q('limit', '1–20, default 8')],
        responses: { '200': ok('`{ items: [{ id, name, handle, avatarFileId }] }`'), ...errorResponses },
      },
    },
    '/chat/direct': {
      get: { tags, summary: 'Your direct conversations, latest first', parameters: [{ name: 'before', in: 'query', required: false, schema: { type: 'string' }, description: 'The `next` cursor of the previous page' }], responses: { '200': ok('`{ conversations: [{ id, title, people, lastSeq, unread, lastActivityAt, last: { authorId, authorName, text, deleted, at } | null }], next }`'), ...errorResponses } },
      post: { tags, summary: 'Open (or find) a conversation with members', description: 'Name them by `handles` or by `people` (member ids), or both.', requestBody: body(OpenDirectInput), responses: { '200': ok('`{ roomId, created }`'), ...errorResponses } },
    },
  },
  schemas: {
    ChatMessage: {
      type: 'object',
      properties: {
        id: { type: 'string' }, roomId: { type: 'string' }, seq: { type: 'integer' },
        author: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, handle: { type: 'string' } } },
        body: { type: 'string' }, html: { type: 'string' }, parentId: { type: ['string', 'null'] }, replyCount: { type: 'integer' },
        reactions: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'emoji → user ids' },
        createdAt: { type: 'string' }, editedAt: { type: ['string', 'null'] }, deletedAt: { type: ['string', 'null'] },
      },
    },
    ChatMessages: { type: 'object', properties: { messages: { type: 'array', items: { $ref: '#/components/schemas/ChatMessage' } } } },
  },
};
export default fragment;
