import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown for every text members write (discussions, comments, group descriptions, bios):
 * markdown-it (no raw HTML) then sanitize-html with an allow-list, so the same safe HTML
 * goes to pages and emails. `@handle` becomes a profile link when `knownHandles` has it.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const allow: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'del', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'span'],
  allowedAttributes: { a: ['href', 'title', 'class', 'rel', 'target'], img: ['src', 'alt', 'title'], span: ['class'], code: ['class'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const external = /^https?:\/\//.test(attribs.href ?? '');
      return { tagName, attribs: external ? { ...attribs, rel: 'nofollow noopener noreferrer ugc', target: '_blank' } : attribs };
    },
  },
};

export type RenderOptions = {
  /** Handles that exist (lower-case); `@name` for others stays plain text. */
  knownHandles?: Set<string>;
};

/** Mentions found in a text: `@anne_p` → 'anne_p' (lower-case, without duplicates). */
export function extractMentions(text: string): string[] {
  const out = new Set<string>();
  for (const m of stripCode(text).matchAll(/(^|[^\w@/])@([a-zA-Z0-9_]{2,30})\b/g)) out.add(m[2].toLowerCase());
  return [...out];
}
const stripCode = (t: string) => t.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');

/** Renders member-written markdown to sanitised HTML. */
export function renderMarkdown(text: string, opts: RenderOptions = {}): string {
  let html = md.render(text);
  if (opts.knownHandles?.size) {
    // Only in text, not inside tags or code: split on tags and code blocks.
    // A mention may open a paragraph (right after a tag): what precedes it is looked at, not taken.
    html = html.replace(/(<code[\s\S]*?<\/code>|<[^>]+>)|(?<![\w@/])@([a-zA-Z0-9_]{2,30})\b/g, (all, tag, handle) => {
      if (tag) return tag;
      const h = String(handle).toLowerCase();
      return opts.knownHandles!.has(h) ? `<a class="mention" href="/u/${h}">@${handle}</a>` : all;
    });
  }
  return sanitizeHtml(html, allow);
}

/** Plain text of some markdown (for search, previews and email subjects). */
export function markdownToText(text: string): string {
  return sanitizeHtml(md.render(text), { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
