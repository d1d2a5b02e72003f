/**
 * Posting a writing form on a bad network. Without JavaScript the form posts as always. With
 * it, the form is sent by `fetch` with a fresh idempotency key per submission: when the
 * network fails (offline, or the answer is lost on the way), the text goes to the device
 * outbox under the SAME key, so the server, which may already have written it, keeps one copy.
 * When the server answers, its answer is applied exactly as a plain form post would
 * (a redirect is followed, field errors show next to the fields).
 */
import { applyAction, deserialize } from '$app/forms';
import { goto } from '$app/navigation';
import { enqueue } from './device';
import { DRAFT_DONE } from './drafts';
import { newKey, type OutboxEntry } from './outbox';
import { markReachable, markUnreachable, online } from './network';

/** What the member is told after a submission that did not reach the server. */
export type OfflineNotice = 'queued' | 'kept' | 'files' | null;

export type OfflineSubmitOptions = {
  /** Builds the outbox entry for this text and key; absent: the form is not queued (the draft keeps the text). */
  queue?: ((body: string, key: string) => OutboxEntry) | null;
  onNotice?: (n: OfflineNotice) => void;
};

function hasFiles(fd: FormData): boolean {
  return fd.getAll('files').some((f) => f instanceof File && f.size > 0);
}

/** Svelte action on a creating form (multipart or not) whose action redirects on success. */
export function offlineSubmit(form: HTMLFormElement, initial: OfflineSubmitOptions) {
  let opts = initial;
  let sending = false;

  function done() {
    form.dispatchEvent(new CustomEvent(DRAFT_DONE));
  }

  async function offline(fd: FormData, key: string) {
    const body = String(fd.get('body') ?? '');
    if (hasFiles(fd)) return opts.onNotice?.('files');
    if (!opts.queue || !body.trim()) return opts.onNotice?.('kept');
    await enqueue(opts.queue(body, key));
    done();
    const field = form.elements.namedItem('body') as HTMLTextAreaElement | null;
    if (field) {
      field.value = '';
      field.dispatchEvent(new Event('input', { bubbles: true }));
    }
    opts.onNotice?.('queued');
  }

  async function onSubmit(ev: SubmitEvent) {
    if (ev.defaultPrevented) return;
    ev.preventDefault();
    if (sending) return;
    sending = true;
    opts.onNotice?.(null);
    const fd = new FormData(form, ev.submitter);
    const key = newKey();
    fd.set('key', key);
    try {
      if (!online()) return await offline(fd, key);
      let text: string;
      try {
        const res = await fetch(form.action, { method: 'POST', body: fd, headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } });
        text = await res.text();
        markReachable();
      } catch {
        markUnreachable();
        // No answer: it may or may not have been written; the outbox repeats it under the same key.
        return await offline(fd, key);
      }
      let result;
      try {
        result = deserialize(text);
      } catch {
        // Not SvelteKit's answer (a proxy's error page): keep the text on the device.
        return opts.onNotice?.('kept');
      }
      if (result.type === 'redirect') {
        done();
        await goto(result.location, { invalidateAll: true });
      } else await applyAction(result);
    } finally {
      sending = false;
    }
  }

  form.addEventListener('submit', onSubmit);
  return {
    update(next: OfflineSubmitOptions) {
      opts = next;
    },
    destroy() {
      form.removeEventListener('submit', onSubmit);
    },
  };
}
