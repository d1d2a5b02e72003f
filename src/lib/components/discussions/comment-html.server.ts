import { render } from 'svelte/server';
import { messagesOf, type Locale } from '$lib/i18n';
import CommentStatic from './CommentStatic.svelte';
import { contentKey, Lru, withoutMarkers, type CommentContent } from './comment-content';

/** About 10 MB at ~2 KB a reply: the busy discussions of a large association. */
const cache = new Lru<string>(5000);

/**
 * The shared HTML of a reply (author, date, text, attachments), rendered once per version,
 * language and time zone and reused for every reader: on a page of 50 replies that rendering
 * (components, Intl dates, escaping, the garbage of many small strings) was most of the work.
 */
export function commentHtml(c: CommentContent, discussionId: string, locale: Locale, timeZone: string): string {
  const key = contentKey(c, discussionId, locale, timeZone);
  let html = cache.get(key);
  if (html === undefined) {
    html = withoutMarkers(render(CommentStatic, { props: { comment: c, discussionId, locale, timeZone, messages: messagesOf(locale) } }).body);
    cache.set(key, html);
  }
  return html;
}
