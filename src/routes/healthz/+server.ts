import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { ping } from '$lib/server/db/connect';

/** 200 once the database answers, 503 otherwise. */
export const GET: RequestHandler = async ({ locals }) => {
  const ok = await ping(locals.app.db);
  return json({ status: ok ? 'ok' : 'unavailable', database: locals.app.dialect }, { status: ok ? 200 : 503 });
};
