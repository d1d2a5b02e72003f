import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import { PreferencesInput } from '../domain/notifications/prefs';
import { CHANNELS, CHOICES, REASONS } from '../domain/notifications/reasons';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const InboxEntry = {
  type: 'object',
  description: 'Every notification about one discussion, chat or request, newest first',
  properties: {
    subjectKind: { type: 'string', enum: ['discussion', 'chat', 'join_request', 'group'] },
    subjectId: { type: 'string' },
    count: { type: 'integer' },
    unread: { type: 'integer' },
    actors: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
    latest: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'the newest notification; GET /inbox/open/{id} opens it and marks its subject read' },
        type: { type: 'string', description: 'the event, e.g. comment.posted' },
        reason: { type: 'string', enum: [...REASONS] },
        title: { type: 'string' },
        url: { type: 'string', description: 'path of the exact item' },
        summary: { type: 'object', properties: { key: { type: 'string' }, params: { type: 'object' } }, description: 'message key (look up `<key>.<reason>` first) and parameters' },
        excerpt: { type: 'string' },
        group: { type: ['object', 'null'], properties: { slug: { type: 'string' }, name: { type: 'string' } } },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
  },
};
const Preferences = {
  type: 'object',
  properties: {
    reasons: { type: 'array', items: { type: 'string', enum: REASONS.filter((r) => r !== 'member') } },
    channels: { type: 'array', items: { type: 'string', enum: [...CHANNELS] } },
    options: { type: 'object', description: 'the choices each channel offers', example: CHOICES },
    choices: { type: 'object', description: '{ <reason>: { inbox: on|off, email: now|level|off } }' },
    quiet: { type: ['object', 'null'], properties: { from: { type: 'integer' }, to: { type: 'integer' } }, description: 'local hours in your time zone' },
  },
};

/** Notifications: the inbox, read marks and preferences per reason and channel. */
const fragment: Fragment = {
  schemas: { InboxEntry, Preferences },
  paths: {
    '/me/notifications': {
      get: {
        tags: ['notifications'],
        summary: 'Your notifications, grouped by what they are about (only what you may still read)',
        parameters: [
          { name: 'unread', in: 'query', schema: { type: 'string', enum: ['1'] } },
          { name: 'before', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'the `next` of the previous page' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: { '200': { description: 'A page of the inbox', content: json({ type: 'object', properties: { unread: { type: 'integer' }, entries: { type: 'array', items: ref('InboxEntry') }, next: { type: ['string', 'null'] } } }) }, ...errorResponses },
      },
    },
    '/me/notifications/read': {
      post: {
        tags: ['notifications'],
        summary: 'Mark notifications read: some ids, everything about one subject, or all',
        requestBody: { required: true, content: json({ type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } }, subjectId: { type: 'string' }, all: { type: 'boolean' } } }) },
        responses: { '200': { description: 'The new unread count', content: json({ type: 'object', properties: { unread: { type: 'integer' } } }) }, ...errorResponses },
      },
    },
    '/me/devices': {
      get: { tags: ['notifications'], summary: 'Your devices that ring (Web Push), and the server’s public VAPID key', responses: { '200': { description: 'Devices', content: json({ type: 'object', properties: { publicKey: { type: 'string' }, items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, service: { type: 'string' }, createdAt: { type: 'string' }, lastUsedAt: { type: ['string', 'null'] } } } } } }) }, ...errorResponses } },
      post: { tags: ['notifications'], summary: 'Turn notifications on for a device: the browser’s PushSubscription as JSON (endpoint of a known push service, keys.p256dh, keys.auth), optional name', requestBody: { required: true, content: json({ type: 'object', required: ['endpoint', 'keys'], properties: { endpoint: { type: 'string', format: 'uri' }, keys: { type: 'object', properties: { p256dh: { type: 'string' }, auth: { type: 'string' } } }, name: { type: 'string', maxLength: 60 } } }) }, responses: { '201': { description: 'The device' }, ...errorResponses } },
    },
    '/me/devices/{id}': {
      patch: { tags: ['notifications'], summary: 'Rename one of your devices', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], requestBody: { required: true, content: json({ type: 'object', properties: { name: { type: 'string', maxLength: 60 } } }) }, responses: { '200': { description: 'Renamed' }, ...errorResponses } },
      delete: { tags: ['notifications'], summary: 'Remove one of your devices: it rings no more', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Removed' }, ...errorResponses } },
    },
    '/me/devices/unsubscribe': {
      post: { tags: ['notifications'], summary: 'This browser unsubscribed: forget it by its endpoint', requestBody: { required: true, content: json({ type: 'object', properties: { endpoint: { type: 'string' } } }) }, responses: { '200': { description: 'Forgotten' }, ...errorResponses } },
    },
    '/me/notifications/preferences': {
      get: { tags: ['notifications'], summary: 'Your choice for each reason and channel, and your quiet hours', responses: { '200': { description: 'Preferences', content: json(ref('Preferences')) }, ...errorResponses } },
      put: { tags: ['notifications'], summary: 'Change any choices and quiet hours', requestBody: { required: true, content: json(z.toJSONSchema(PreferencesInput, { io: 'input' })) }, responses: { '200': { description: 'Preferences', content: json(ref('Preferences')) }, ...errorResponses } },
    },
  },
};
export default fragment;
