import type { PageServerLoad } from './$types';

/** The tree of groups the visitor or member may see. */
export const load: PageServerLoad = async ({ locals }) => locals.app.groups.index(locals.actor);
