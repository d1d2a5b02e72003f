/** What the shared part of a reply is made of (see CommentStatic.svelte). */
export type CommentContent = {
  id: string;
  author: { name: string; avatarFileId: string | null };
  createdAt: string;
  editedAt: string | null;
  bodyHtml: string | null;
  files: { id: string; name: string; size: number; isImage: boolean; url: string; previewUrl: string | null; width: number | null; height: number | null }[];
};

/**
 * Everything the shared HTML of a reply depends on, as one cache key: a new edit time, a new
 * name or photo of the author, a preview made after the upload, another language or time
 * zone each give a new key, so a stale rendering is never found (old ones age out).
 */
export function contentKey(c: CommentContent, discussionId: string, locale: string, timeZone: string): string {
  const files = c.files.map((f) => `${f.id}:${f.previewUrl ?? ''}:${f.width ?? ''}x${f.height ?? ''}`).join(',');
  return [c.id, discussionId, c.editedAt ?? '', locale, timeZone, c.author.name, c.author.avatarFileId ?? '', files].join('\u0001');
}

/**
 * Svelte's server output without its hydration markers (`<!--[-->`, `<!--[-1-->`, `<!--]-->`, `<!---->`…).
 * The shared HTML is placed with `{@html}`, which on hydration claims the server's nodes up
 * to the first empty comment: a marker left inside would end it early.
 */
export function withoutMarkers(html: string): string {
  return html.replace(/<!--[[\]!0-9-]*-->/g, '');
}

/** A bounded map, least recently used out first. */
export class Lru<V> {
  #map = new Map<string, V>();
  constructor(readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value as string);
  }
  get size(): number {
    return this.#map.size;
  }
}
