import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { openApiDocument } from '$lib/server/openapi';

export const GET: RequestHandler = ({ locals }) => json(openApiDocument(locals.app.config.baseUrl));
