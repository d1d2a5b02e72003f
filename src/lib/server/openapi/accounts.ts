import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import { ProfileInput } from '../domain/accounts/profile';
import { NewTokenInput } from '../domain/accounts/tokens';
import { LoginInput } from '../domain/accounts/auth';
import { GroupLevelInput, SettingsInput } from '../domain/email/prefs';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (schema: z.ZodType) => ({ required: true, content: json(z.toJSONSchema(schema, { io: 'input' })) });

const Me = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, handle: { type: 'string' }, email: { type: 'string', format: 'email' },
    isAdmin: { type: 'boolean' }, locale: { type: 'string', enum: ['fr', 'nl', 'en'] }, timeZone: { type: 'string' }, bio: { type: 'string' },
    avatarFileId: { type: ['string', 'null'] }, avatarUrl: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' }, hasPassword: { type: 'boolean' },
  },
};
const tokenProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  scope: { type: 'string', enum: ['read', 'write', 'admin'], description: 'read: GET/HEAD only (WebSocket: subscribe, not send); write: everything a member does, no instance administration; admin: everything the user may do' },
  createdAt: { type: 'string', format: 'date-time' },
  lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  expiresAt: { type: ['string', 'null'], format: 'date-time', description: 'null: never expires' },
  expired: { type: 'boolean' },
};
const Token = { type: 'object', properties: tokenProperties };
const NewToken = { type: 'object', properties: { ...tokenProperties, token: { type: 'string', description: 'ruche_…; shown once, stored hashed' } } };
const tokenErrors = {
  '401': { description: 'The token is unknown, revoked or expired (`token_invalid`; `WWW-Authenticate: Bearer error="invalid_token"`)', content: json(ref('Error')) },
  '403': { description: 'A read token used with another method than GET or HEAD (`token_read_only`), or a token used to create a token or a session', content: json(ref('Error')) },
};
const Session = { type: 'object', properties: { id: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, lastSeenAt: { type: 'string', format: 'date-time' }, userAgent: { type: 'string' }, current: { type: 'boolean' } } };
const PublicProfile = { type: 'object', properties: { handle: { type: 'string' }, name: { type: 'string' }, avatarFileId: { type: ['string', 'null'] }, avatarUrl: { type: ['string', 'null'] }, bioHtml: { type: 'string', description: 'sanitised HTML' }, memberSince: { type: 'string', format: 'date-time' } } };

/** Accounts: the member's own profile and tokens, other members' profiles, JSON login. */
const fragment: Fragment = {
  schemas: { Me, Token, NewToken, Session, PublicProfile },
  paths: {
    '/me': {
      get: { tags: ['accounts'], summary: 'Your profile', responses: { '200': { description: 'Your profile', content: json(ref('Me')) }, ...errorResponses } },
      patch: { tags: ['accounts'], summary: 'Change your profile (any of name, handle, locale, timeZone, bio)', requestBody: body(ProfileInput), responses: { '200': { description: 'The updated profile', content: json(ref('Me')) }, ...errorResponses } },
    },
    '/me/email': {
      get: { tags: ['email'], summary: 'Your email settings: default level (all, participating, daily, weekly, none), digest hour and weekday, per-group levels', responses: { '200': { description: 'Your email settings' }, ...errorResponses } },
      put: { tags: ['email'], summary: 'Change your default level and digest time', requestBody: body(SettingsInput), responses: { '200': { description: 'Your email settings' }, ...errorResponses } },
    },
    '/me/email/groups': {
      put: { tags: ['email'], summary: "Your level for one group ('default' follows your general setting)", requestBody: body(GroupLevelInput), responses: { '200': { description: 'Your email settings' }, ...errorResponses } },
    },
    '/me/tokens': {
      get: { tags: ['accounts'], summary: 'Your personal access tokens not revoked (expired ones marked), newest first', responses: { '200': { description: 'Tokens (never their secret)', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Token') } } }) }, ...errorResponses, ...tokenErrors } },
      post: {
        tags: ['accounts'],
        summary: 'Create a personal access token',
        description:
          'Only with the session cookie: a request authenticated by a token cannot create tokens (403 `token_cannot_create_token`). `scope` defaults to `read`; `admin` is for instance administrators only (400 `token_scope_admin`). `expiresInDays` is 30, 90 (default), 365 or null (never). A password change, a password reset and "log out everywhere" revoke every token.',
        security: [{ cookie: [] }],
        requestBody: body(NewTokenInput),
        responses: { '201': { description: 'The token, with its secret shown this once', content: json(ref('NewToken')) }, ...errorResponses },
      },
    },
    '/me/tokens/{id}': {
      delete: { tags: ['accounts'], summary: 'Revoke one of your tokens', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Revoked' }, ...errorResponses, ...tokenErrors } },
    },
    '/me/sessions': {
      get: { tags: ['accounts'], summary: 'Your active sessions, newest first (`current` marks the one of this request’s cookie)', responses: { '200': { description: 'Sessions', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Session') } } }) }, ...errorResponses, ...tokenErrors } },
      delete: { tags: ['accounts'], summary: 'Log out everywhere: end every session (this one too) and revoke every personal access token', responses: { '200': { description: 'Everything ended' }, ...errorResponses, ...tokenErrors } },
    },
    '/users/{handle}': {
      get: { tags: ['accounts'], summary: 'A member’s public profile (members only; 404 for visitors)', parameters: [{ name: 'handle', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Profile', content: json(ref('PublicProfile')) }, ...errorResponses } },
    },
    '/session': {
      post: {
        tags: ['accounts'], summary: 'Log in with email and password; sets the session cookie', security: [], requestBody: body(LoginInput),
        description:
          'Failed attempts slow down further ones for the same account from the same address (then for the account, and for the address, more loosely), with growing delays up to 15 minutes; a browser that logged in before (known-device cookie) is only slowed by its own failures. Not available to requests authenticated by a token (403 `token_no_session`).',
        responses: { '200': { description: 'Logged in', content: json({ type: 'object', properties: { userId: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } }) }, '429': { description: 'Wait before trying again: `login_wait_seconds` or `login_wait_minutes`; the message says how long', content: json(ref('Error')) }, ...errorResponses },
      },
      delete: { tags: ['accounts'], summary: 'Log out this session', responses: { '200': { description: 'Logged out' } } },
    },
  },
};
export default fragment;
