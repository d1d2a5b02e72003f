import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/** API tokens moved under Profile → Advanced; old links still land there. */
export const GET: RequestHandler = () => redirect(308, '/profile/advanced');
