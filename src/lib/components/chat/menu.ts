/**
 * The one message menu of a chat room, in the browser: where
 * it opens, how the keyboard moves in it, and the long press that opens it on a phone
 * (which items a message gets: src/lib/chat-abilities.ts).
 */
/**
 * The link of a message's button without JavaScript: this page (its window of older or newer
 * messages kept) with that message's menu open, or with none (`open` null: the link closes
 * it), scrolled to the message.
 */
export function menuHref(url: URL, open: string | null, at: string): string {
  const q = new URLSearchParams();
  for (const k of ['before', 'after']) {
    const v = url.searchParams.get(k);
    if (v) q.set(k, v);
  }
  if (open) q.set('actions', open);
  const s = q.toString();
  return `${s ? `?${s}` : url.pathname}#m-${at}`;
}

/**
 * Puts an open menu next to the button that opened it, on the side of the message: under the
 * button, or above it when it would reach the composer (the last messages), within the screen.
 */
export function placeMenu(menu: HTMLElement, trigger: HTMLElement, composer: HTMLElement | null): void {
  const r = trigger.getBoundingClientRect();
  const { offsetWidth: w, offsetHeight: h } = menu;
  const limit = (composer?.getBoundingClientRect().top ?? window.innerHeight) - 8;
  let top = r.bottom + 4;
  if (top + h > limit) top = r.top - 4 - h;
  top = Math.max(8, Math.min(top, window.innerHeight - h - 8));
  const mine = !!trigger.closest('.mine');
  const bubble = trigger.parentElement?.querySelector('.bubble')?.getBoundingClientRect();
  let left = mine ? r.right - w : (bubble?.left ?? r.left);
  left = Math.max(8, Math.min(left, window.innerWidth - w - 8));
  menu.style.top = `${Math.round(top)}px`;
  menu.style.left = `${Math.round(left)}px`;
}

const itemSelector = 'button:not([disabled]), a[href], summary';

/**
 * Arrow keys (and Home, End) move between the menu's items, wrapping around, as in a menu;
 * Tab moves too. Keys typed in a field (the edit form) are left alone.
 */
export function moveFocus(e: KeyboardEvent, root: HTMLElement): void {
  const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: 0, End: 0 }[e.key];
  if (step === undefined || (e.target as Element).closest('input, textarea, select')) return;
  const items = [...root.querySelectorAll<HTMLElement>(itemSelector)].filter((el) => el.getClientRects().length > 0);
  if (items.length === 0) return;
  e.preventDefault();
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = e.key === 'Home' ? 0 : e.key === 'End' || (at < 0 && step < 0) ? items.length - 1 : (at + step + items.length) % items.length;
  items[next]?.focus();
}

/** The first item of an open menu, which takes the focus. */
export const firstItem = (root: HTMLElement) => root.querySelector<HTMLElement>(itemSelector);

/**
 * A long press on a message (touch, half a second without moving) opens its menu, as in a
 * messenger; the system's own menu is then kept closed. Taps on links and buttons are left
 * alone. One set of listeners on the list, whatever the number of messages.
 */
export function longPress(list: HTMLElement, open: (message: HTMLElement) => void) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pressed = false;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const start = (e: TouchEvent) => {
    pressed = false;
    cancel();
    const target = e.target as Element;
    const message = target.closest<HTMLElement>('li.msg');
    if (!message || !target.closest('.line') || target.closest('a, button, summary, input, textarea')) return;
    timer = setTimeout(() => {
      pressed = true;
      open(message);
    }, 500);
  };
  // After a long press, lifting the finger is no tap: no click lands on the menu just opened.
  const end = (e: TouchEvent) => {
    cancel();
    if (pressed) e.preventDefault();
  };
  const context = (e: Event) => {
    if (pressed) e.preventDefault();
  };
  list.addEventListener('touchstart', start, { passive: true });
  list.addEventListener('touchend', end);
  list.addEventListener('touchmove', cancel, { passive: true });
  list.addEventListener('contextmenu', context);
  return {
    destroy() {
      cancel();
      list.removeEventListener('touchstart', start);
      list.removeEventListener('touchend', end);
      list.removeEventListener('touchmove', cancel);
      list.removeEventListener('contextmenu', context);
    },
  };
}
