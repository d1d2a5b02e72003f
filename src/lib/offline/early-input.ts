/**
 * What a member types before the page's scripts have started must survive their start.
 *
 * A page is usable before its scripts run (server-rendered forms), and on a slow phone or a
 * slow network members do type then. When the scripts start, Svelte's hydration writes every
 * field's server-rendered state back into the page (`value={…}`, `checked={…}`,
 * `selected={…}`), erasing what was typed meanwhile: the form is then sent empty, or not at
 * all (a required field is empty again, so the browser refuses to send it), and the member
 * sees nothing happen. Only `bind:value` fields are spared by Svelte itself.
 *
 * The root layout calls `keepEarlyInput()` as hydration starts (its script runs before any
 * field is hydrated) and the function it returns once hydration is done (its `onMount`): the
 * fields the member changed are put back as they were left, caret included, and the page's
 * own handlers hear an `input` (and, for choices, `change`) event, as if the member had just
 * typed. A field is "changed" when it differs from what the server sent (its default state),
 * which also keeps what the browser filled in by itself (autofill, a restored form).
 */

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

type Kept =
  | { el: HTMLInputElement | HTMLTextAreaElement; kind: 'text'; value: string; selection: [number | null, number | null] | null }
  | { el: HTMLInputElement; kind: 'check'; checked: boolean }
  | { el: HTMLSelectElement; kind: 'choice'; selected: boolean[] };

/** Inputs that hold nothing typed (or whose value a script may not set). */
const NOT_TYPED = new Set(['hidden', 'file', 'submit', 'button', 'reset', 'image']);

/** The member's change to one field since the page arrived, or null when it is as sent. */
function changeOf(el: Field, focused: Element | null): Kept | null {
  if (el instanceof HTMLSelectElement) {
    const options = Array.from(el.options);
    return options.some((o) => o.selected !== o.defaultSelected) ? { el, kind: 'choice', selected: options.map((o) => o.selected) } : null;
  }
  if (el instanceof HTMLInputElement && NOT_TYPED.has(el.type)) return null;
  if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
    return el.checked !== el.defaultChecked ? { el, kind: 'check', checked: el.checked } : null;
  }
  if (el.value === el.defaultValue) return null;
  let selection: [number | null, number | null] | null = null;
  try {
    if (el === focused) selection = [el.selectionStart, el.selectionEnd];
  } catch {
    selection = null; // types without a caret (email, number) throw on selectionStart in some browsers
  }
  return { el, kind: 'text', value: el.value, selection };
}

/** Puts one field back as the member left it; true when hydration had changed it. */
function putBack(k: Kept): boolean {
  if (k.kind === 'choice') {
    const options = Array.from(k.el.options);
    if (options.length !== k.selected.length || options.every((o, i) => o.selected === k.selected[i])) return false;
    options.forEach((o, i) => (o.selected = k.selected[i]));
    return true;
  }
  if (k.kind === 'check') {
    if (k.el.checked === k.checked) return false;
    k.el.checked = k.checked;
    return true;
  }
  if (k.el.value === k.value) return false;
  k.el.value = k.value;
  if (k.selection && k.el === document.activeElement) {
    try {
      k.el.setSelectionRange(k.selection[0], k.selection[1]);
    } catch {
      // no caret on this type of field
    }
  }
  return true;
}

/**
 * Notes the fields the member changed before the scripts started; returns the function that
 * puts them back after hydration (and says how many hydration had overwritten).
 */
export function keepEarlyInput(root: ParentNode = document): () => number {
  const focused = document.activeElement;
  const kept: Kept[] = [];
  for (const el of root.querySelectorAll<Field>('input, textarea, select')) {
    const k = changeOf(el, focused);
    if (k) kept.push(k);
  }
  return () => {
    let restored = 0;
    for (const k of kept) {
      if (!k.el.isConnected) continue;
      if (putBack(k)) restored++;
      // The page's handlers (drafts, counters, bindings) were not there when the member typed.
      k.el.dispatchEvent(new Event('input', { bubbles: true }));
      if (k.kind !== 'text') k.el.dispatchEvent(new Event('change', { bubbles: true }));
    }
    kept.length = 0;
    return restored;
  };
}
