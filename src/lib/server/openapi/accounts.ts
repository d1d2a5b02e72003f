import { z } from 'zod';
import { errorResponses, type Fragment } from './index';
import { ProfileInput, TokenNameInput } from '../domain/accounts/profile';
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
const Token = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, lastUsedAt: { type: ['string', 'null'], format: 'date-time' } } };
const NewToken = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, token: { type: 'string', description: 'ruche_…; shown once, stored hashed' }, createdAt: { type: 'string', format: 'date-time' } } };
const PublicProfile = { type: 'object', properties: { handle: { type: 'string' }, name: { type: 'string' }, avatarFileId: { type: ['string', 'null'] }, avatarUrl: { type: ['string', 'null'] }, bioHtml: { type: 'string', description: 'sanitised HTML' }, memberSince: { type: 'string', format: 'date-time' } } };

/** Accounts: the member's own profile and tokens, other members' profiles, JSON login. */
const fragment: Fragment = {
  schemas: { Me, Token, NewToken, PublicProfile },
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
      get: { tags: ['accounts'], summary: 'Your personal access tokens that still work', responses: { '200': { description: 'Tokens (never their secret)', content: json({ type: 'object', properties: { items: { type: 'array', items: ref('Token') } } }) }, ...errorResponses } },
      post: { tags: ['accounts'], summary: 'Create a personal access token', requestBody: body(TokenNameInput), responses: { '201': { description: 'The token, with its secret shown this once', content: json(ref('NewToken')) }, ...errorResponses } },
    },
    '/me/tokens/{id}': {
      delete: { tags: ['accounts'], summary: 'Revoke one of your tokens', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Revoked' }, ...errorResponses } },
    },
    '/users/{handle}': {
      get: { tags: ['accounts'], summary: 'A member’s public profile (members only; 404 for visitors)', parameters: [{ name: 'handle', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'Profile', content: json(ref('PublicProfile')) }, ...errorResponses } },
    },
    '/session': {
      post: {
        tags: ['accounts'], summary: 'Log in with email and password; sets the session cookie', security: [], requestBody: body(LoginInput),
        responses: { '200': { description: 'Logged in', content: json({ type: 'object', properties: { userId: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } }) }, '429': { description: 'Too many failed attempts', content: json(ref('Error')) }, ...errorResponses },
      },
      delete: { tags: ['accounts'], summary: 'Log out this session', responses: { '200': { description: 'Logged out' } } },
    },
  },
};
export default fragment;
