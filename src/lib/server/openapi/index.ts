import accounts from './accounts';
import groups from './groups';
import discussions from './discussions';
import chat from './chat';
import notifications from './notifications';
import tasks from './tasks';
import decide from './decide';

/**
 * The OpenAPI document of /api/v1, assembled from one fragment per feature. Request bodies
 * reuse the services' zod schemas through `z.toJSONSchema`, so the document and the
 * validation cannot drift apart.
 */
export function openApiDocument(baseUrl: string) {
  const fragments = [accounts, groups, discussions, chat, notifications, tasks, decide];
  return {
    openapi: '3.1.0',
    info: { title: 'Ruche API', version: '1', description: 'JSON API of Ruche. Authenticate with the session cookie or `Authorization: Bearer <personal access token>` (create one on your profile). Errors are `{ error: { code, message, issues[] } }`; messages follow Accept-Language or your profile language. Creating calls (discussions, replies, groups, invitations, join requests, direct conversations, links, tasks, task comments, checklist lines) accept an `Idempotency-Key` header (8–64 letters, digits, `-` or `_`; or a `key` field): a call repeated with the same key returns the first result and creates nothing; keys are kept 3 days.' },
    servers: [{ url: `${baseUrl}/api/v1` }],
    components: {
      securitySchemes: {
        cookie: { type: 'apiKey', in: 'cookie', name: 'ruche_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
      schemas: Object.assign({ Error: errorSchema }, ...fragments.map((f) => f.schemas ?? {})),
    },
    security: [{ cookie: [] }, { token: [] }],
    paths: Object.assign({}, ...fragments.map((f) => f.paths)),
  };
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

/** Helper for fragments: a JSON response that may fail with the common error shape. */
export const errorResponses = {
  '400': { description: 'Invalid input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Not signed in', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '403': { description: 'Not allowed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'Not found (or hidden from you)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};
export type Fragment = { paths: Record<string, unknown>; schemas?: Record<string, unknown> };
