import type { PageServerLoad } from './$types';

/** Home: a member's groups with unread counts, mentions and recent discussions; the open groups for visitors. */
export const load: PageServerLoad = async ({ locals }) => ({ home: await locals.app.discussions.home(locals.actor) });
