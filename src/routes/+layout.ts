import type { LayoutLoad } from './$types';

/**
 * The page's texts come with the root data (+layout.server.ts). While the server renders, the
 * whole language is at hand too, for a text the page renders beyond them (see
 * $lib/i18n/context.ts); it is returned by this universal load only on the server, where it
 * is never sent to the browser, and the browser build drops the branch.
 */
export const load: LayoutLoad = async ({ data }) => {
  if (import.meta.env.SSR) {
    const { messagesOf } = await import('$lib/i18n');
    return { ...data, completeTexts: messagesOf(data.locale) };
  }
  return { ...data, completeTexts: undefined };
};
