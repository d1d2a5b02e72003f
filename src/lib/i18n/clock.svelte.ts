/**
 * The time relative dates ("5 min ago") are counted from. In the browser it moves every minute,
 * so a list left open says "12 min ago" rather than "now" forever (what reads it re-renders);
 * on the server it is the time of the call.
 */
let now = $state(Date.now());
let ticking = false;

export function currentTime(): Date {
  if (typeof window === 'undefined') return new Date();
  // Started on first use, never written while a template reads it (Svelte forbids that): the
  // module's load time is at most a minute old when the first tick comes.
  if (!ticking) {
    ticking = true;
    setInterval(() => (now = Date.now()), 60_000);
  }
  return new Date(now);
}
