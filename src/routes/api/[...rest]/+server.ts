import { json, type RequestHandler } from '@sveltejs/kit';

/**
 * Any path under /api/ that no endpoint serves, whatever the method: a JSON 404 in the
 * API's error shape, never the HTML "page not found" meant for people.
 */
export const fallback: RequestHandler = ({ locals }) => json({ error: { code: 'not_found', message: locals.t('errors.not_found'), issues: [] } }, { status: 404 });
