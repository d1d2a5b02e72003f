import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import { CreateGroupInput, InviteEmailsInput, InviteLinkInput, JoinRequestInput, LinkInput, MoveLinkInput, SetRoleInput, UpdateGroupInput } from '../domain/groups/schemas';

const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const ok = (description: string, ref?: string) => ({ description, content: { 'application/json': { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: 'object' } } } });
const slug = { name: 'slug', in: 'path', required: true, schema: { type: 'string' }, description: 'The group’s slug, e.g. `working-group-1`.' };
const id = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description });
const tags = ['groups'];

/** Groups, working groups, membership, invitations and links. Hidden groups answer 404. */
const fragment: Fragment = {
  paths: {
    '/groups': {
      get: { tags, summary: 'The tree of groups you may see', description: 'Secret groups appear only to their members and instance admins. Members get `role` and `unreadCount`.', responses: { '200': ok('Root groups, each with `children`', 'GroupTree') } },
      post: { tags, summary: 'Create a group or a working group', description: 'A top-level group needs instance admin rights; a working group (`parent` = slug) needs admin rights on the parent. The creator becomes admin.', requestBody: body(CreateGroupInput), responses: { '201': ok('The new group', 'Group'), ...errorResponses } },
    },
    '/groups/{slug}': {
      parameters: [slug],
      get: { tags, summary: 'A group’s page', description: 'Description (raw and rendered), links, visible working groups, your membership and abilities.', responses: { '200': ok('The group page'), ...errorResponses } },
      patch: { tags, summary: 'Edit a group', requestBody: body(UpdateGroupInput), responses: { '200': ok('The group', 'Group'), ...errorResponses } },
    },
    '/groups/{slug}/join': { parameters: [slug], post: { tags, summary: 'Join an open group', responses: { '200': ok('Joined'), ...errorResponses } } },
    '/groups/{slug}/leave': { parameters: [slug], post: { tags, summary: 'Leave a group', description: 'The last admin cannot leave while other members remain (409 `last_admin`).', responses: { '200': ok('Left'), ...errorResponses } } },
    '/groups/{slug}/requests': {
      parameters: [slug],
      get: { tags, summary: 'Pending requests to join (group admins)', responses: { '200': ok('Requests, oldest first'), ...errorResponses } },
      post: { tags, summary: 'Ask to join a closed group', requestBody: body(JoinRequestInput), responses: { '201': ok('Request pending'), ...errorResponses } },
    },
    '/groups/{slug}/requests/{id}/approve': { parameters: [slug, id('id', 'Request id')], post: { tags, summary: 'Approve a request (the requester is notified)', responses: { '200': ok('Approved'), ...errorResponses } } },
    '/groups/{slug}/requests/{id}/refuse': { parameters: [slug, id('id', 'Request id')], post: { tags, summary: 'Refuse a request (the requester is notified)', responses: { '200': ok('Refused'), ...errorResponses } } },
    '/groups/{slug}/members': {
      parameters: [slug, { name: 'after', in: 'query', schema: { type: 'string' }, description: 'Cursor from `next` of the previous page' }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } }],
      get: { tags, summary: 'Members by name, paged by cursor', responses: { '200': ok('`{ members, next }`'), ...errorResponses } },
    },
    '/groups/{slug}/members/{userId}': {
      parameters: [slug, id('userId', 'Member’s user id')],
      patch: { tags, summary: 'Promote or demote a member', requestBody: body(SetRoleInput.omit({ userId: true })), responses: { '200': ok('Changed'), ...errorResponses } },
      delete: { tags, summary: 'Remove a member', responses: { '200': ok('Removed'), ...errorResponses } },
    },
    '/groups/{slug}/invitations': {
      parameters: [slug],
      get: { tags, summary: 'Invitations with their state (valid, expired, revoked, used_up)', responses: { '200': ok('Invitations'), ...errorResponses } },
      post: {
        tags,
        summary: 'Invite by email, or create a shareable link',
        description: 'With `emails`, each address gets a single-use link by mail. Without, returns `{ url, token, expiresAt }` of a shareable link; the token is shown only once.',
        requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [z.toJSONSchema(InviteEmailsInput, { io: 'input', unrepresentable: 'any' }), z.toJSONSchema(InviteLinkInput, { io: 'input', unrepresentable: 'any' })] } } } },
        responses: { '201': ok('Invitations sent, or the new link'), ...errorResponses },
      },
    },
    '/groups/{slug}/invitations/{id}': { parameters: [slug, id('id', 'Invitation id')], delete: { tags, summary: 'Revoke an invitation', responses: { '200': ok('Revoked'), ...errorResponses } } },
    '/groups/{slug}/links': { parameters: [slug], post: { tags, summary: 'Add an external resource (http/https)', requestBody: body(LinkInput), responses: { '201': ok('The link'), ...errorResponses } } },
    '/groups/{slug}/links/{id}': { parameters: [slug, id('id', 'Link id')], delete: { tags, summary: 'Remove an external resource', responses: { '200': ok('Removed'), ...errorResponses } } },
    '/groups/{slug}/links/{id}/move': { parameters: [slug, id('id', 'Link id')], post: { tags, summary: 'Move an external resource up or down', requestBody: body(MoveLinkInput.omit({ linkId: true })), responses: { '200': ok('Moved'), ...errorResponses } } },
  },
  schemas: {
    Group: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        parentId: { type: ['string', 'null'] },
        slug: { type: 'string' },
        name: { type: 'string' },
        description: { type: 'string', description: 'Markdown' },
        visibility: { enum: ['open', 'closed', 'secret'] },
        memberCount: { type: 'integer' },
        discussionCount: { type: 'integer' },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    GroupTree: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          slug: { type: 'string' },
          name: { type: 'string' },
          visibility: { enum: ['open', 'closed', 'secret'] },
          role: { enum: ['admin', 'member', null] },
          unreadCount: { type: ['integer', 'null'] },
          memberCount: { type: 'integer' },
          children: { type: 'array', items: { $ref: '#/components/schemas/GroupTree/items' } },
        },
      },
    },
  },
};
export default fragment;
