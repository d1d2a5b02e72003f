/**
 * Drafts on the device. The server keeps discussion drafts too (autosave.ts), but only while
 * the network carries them: what is typed on a train, or in the second before the tab is
 * closed, must still be there on return. The text goes to localStorage as the member types
 * (debounced), and at once when the page is hidden, left or closed: localStorage writes
 * synchronously, so a closing tab cannot cut the write short.
 */

const PREFIX = 'ruche:draft:';

export type DeviceDraft = { fields: Record<string, string>; savedAt: string };

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked by the browser's settings
  }
}

/** The draft kept under `key`, if any. */
export function readDraft(key: string): DeviceDraft | null {
  const raw = storage()?.getItem(PREFIX + key);
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as DeviceDraft;
    return d && typeof d.fields === 'object' ? d : null;
  } catch {
    return null;
  }
}

/** Keeps the fields under `key`; all empty means "nothing to keep" and removes it. */
export function writeDraft(key: string, fields: Record<string, string>, now = new Date()): void {
  const s = storage();
  if (!s) return;
  if (Object.values(fields).every((v) => !v.trim())) return s.removeItem(PREFIX + key);
  try {
    s.setItem(PREFIX + key, JSON.stringify({ fields, savedAt: now.toISOString() } satisfies DeviceDraft));
  } catch {
    // Storage full: the server draft still runs.
  }
}

export function clearDraft(key: string): void {
  storage()?.removeItem(PREFIX + key);
}

/** Forgets every draft on the device (logging out on a shared device). */
export function forgetDrafts(): void {
  const s = storage();
  if (!s) return;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) if (s.key(i)?.startsWith(PREFIX)) keys.push(s.key(i)!);
  for (const k of keys) s.removeItem(k);
}

/**
 * What to put back into a form from a device draft: the device's text wins when the field is
 * empty, or when it was saved after the server's draft (`serverSavedAt`) and differs.
 * Returns the fields to set, or null when nothing should change.
 */
export function draftToRestore(d: DeviceDraft | null, current: Record<string, string>, serverSavedAt: string | null | undefined): Record<string, string> | null {
  if (!d) return null;
  const newer = !serverSavedAt || d.savedAt > serverSavedAt;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(d.fields)) {
    if (!value || value === current[name]) continue;
    if (!current[name]?.trim() || newer) out[name] = value;
  }
  return Object.keys(out).length ? out : null;
}

type Field = HTMLInputElement | HTMLTextAreaElement;

/** Fires when the form's text was posted or queued: the device draft goes. */
export const DRAFT_DONE = 'ruche:draft-done';

export type DeviceDraftOptions = { key: string | null; serverSavedAt?: string | null; fields?: string[]; delay?: number; onRestore?: () => void };

/**
 * Svelte action on a form: keeps its text fields (`title`, `body` by default) on the device as
 * the member types, restores them on return, and forgets them when the form's `DRAFT_DONE`
 * event says the text left (posted, or kept in the outbox). `key: null` turns it off
 * (a visitor, who has nothing to keep).
 */
export function deviceDraft(form: HTMLFormElement, initial: DeviceDraftOptions) {
  let opts = initial;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const names = () => opts.fields ?? ['title', 'body'];
  const field = (name: string) => form.elements.namedItem(name) as Field | null;
  const values = () => Object.fromEntries(names().flatMap((n) => (field(n) ? [[n, field(n)!.value]] : []))) as Record<string, string>;
  const saveNow = () => {
    clearTimeout(timer);
    timer = undefined;
    if (opts.key) writeDraft(opts.key, values());
  };
  const restore = () => {
    if (!opts.key) return;
    const set = draftToRestore(readDraft(opts.key), values(), opts.serverSavedAt);
    if (!set) return;
    for (const [name, value] of Object.entries(set)) {
      const el = field(name);
      if (!el) continue;
      el.value = value;
      // Bound state (Svelte's bind:value) and the server autosave hear it like typing.
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    opts.onRestore?.();
  };
  const onInput = () => {
    clearTimeout(timer);
    timer = setTimeout(saveNow, opts.delay ?? 300);
  };
  // After a script's own submit handler ran (the chat composer empties itself when it sends).
  const onSubmit = () => setTimeout(saveNow, 0);
  const onDone = () => {
    clearTimeout(timer);
    timer = undefined;
    if (opts.key) clearDraft(opts.key);
  };
  const onHide = () => {
    if (timer !== undefined) saveNow();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') onHide();
  };
  form.addEventListener('input', onInput);
  form.addEventListener('submit', onSubmit);
  form.addEventListener(DRAFT_DONE, onDone);
  window.addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', onVisibility);
  // The form's own children (the editor) are in place once the action runs.
  restore();
  return {
    update(next: DeviceDraftOptions) {
      if (next.key === opts.key && next.serverSavedAt === opts.serverSavedAt) return;
      if (next.key !== opts.key) onHide();
      opts = next;
      // After the page's new content (a re-created editor) is in place.
      setTimeout(restore, 0);
    },
    destroy() {
      onHide();
      form.removeEventListener('input', onInput);
      form.removeEventListener('submit', onSubmit);
      form.removeEventListener(DRAFT_DONE, onDone);
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
