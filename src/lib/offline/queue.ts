/**
 * One-tap forms (a task marked done, taken or moved; an answer to an event) on a device
 * without a network. Online, nothing changes: the form posts as always, with or without
 * JavaScript. Offline, with JavaScript, the tap goes to the device outbox as a JSON API call
 * with its own idempotency key instead of failing, and the member is told it will be done
 * when the network returns (the network indicator says it). The outbox then sends it in
 * order, once; a refusal is shown app-wide with what the member tried to do.
 */
import { page } from '$app/state';
import { enqueue } from './device';
import { online } from './network';
import { QUEUED_EVENT, taskEntry, type OutboxEntry, type TaskChange } from './outbox';

/** Builds the entry for this submission (`null`: this one is not kept, e.g. signed out). */
export type BuildEntry = (fd: FormData) => OutboxEntry | null;

/** Svelte action on a one-tap form: `use:queueWhenOffline={(fd) => taskEntry(...)}`. */
export function queueWhenOffline(form: HTMLFormElement, initial: BuildEntry) {
  let build = initial;
  async function onSubmit(ev: SubmitEvent) {
    if (online() || ev.defaultPrevented) return;
    const entry = build(new FormData(form, ev.submitter));
    if (!entry) return;
    // Before any other handler of the form (`use:enhance` would try the network and fail).
    ev.preventDefault();
    ev.stopImmediatePropagation();
    await enqueue(entry);
    window.dispatchEvent(new CustomEvent(QUEUED_EVENT, { detail: entry.text }));
    form.closest('details')?.removeAttribute('open');
  }
  // Capture: on the form itself, it runs before the listeners other actions added.
  form.addEventListener('submit', onSubmit, { capture: true });
  return {
    update(next: BuildEntry) {
      build = next;
    },
    destroy() {
      form.removeEventListener('submit', onSubmit, { capture: true });
    },
  };
}

/** The signed-in member's id, from the root layout's data (null when signed out). */
export function memberId(): string | null {
  return (page.data.user as { id: string } | null | undefined)?.id ?? null;
}

/** The builder for a one-tap task form ("Mark as done", "I'll take it"); `text` says what it does. */
export function taskTap(taskId: string, change: TaskChange, text: string): BuildEntry {
  return () => {
    const me = memberId();
    return me ? taskEntry(me, taskId, change, text) : null;
  };
}
