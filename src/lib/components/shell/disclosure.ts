/**
 * A `<details>` used as a menu (it opens without JavaScript): with JavaScript it also closes
 * on Escape (the focus goes back to its button) and on a click outside it.
 * Use: `<details use:dismissible>`.
 */
export function dismissible(details: HTMLDetailsElement) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !details.open) return;
    details.open = false;
    details.querySelector('summary')?.focus();
  };
  const onClick = (e: MouseEvent) => {
    if (details.open && !details.contains(e.target as Node)) details.open = false;
  };
  document.addEventListener('keydown', onKey);
  document.addEventListener('click', onClick);
  return {
    destroy() {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    },
  };
}
