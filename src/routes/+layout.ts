import type { LayoutLoad } from './$types';
import { loadMessages } from '$lib/i18n/load';

/**
 * The member's language is fetched here, before the first render and before hydration, so
 * every `t()` below is synchronous and the page carries one language's texts, not three.
 * Runs again only when the language (or the rest of the root data) changes.
 */
export const load: LayoutLoad = async ({ data }) => ({ ...data, messages: await loadMessages(data.locale) });
