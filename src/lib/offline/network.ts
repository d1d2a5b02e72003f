/**
 * Whether this tab can reach the server, as far as it knows. `navigator.onLine` only says
 * whether the device has a network interface: on a captive portal, a dead Wi-Fi or a train
 * between two masts it says "online" while nothing answers. So a request that got no answer
 * (a form sent into the void, the outbox stopped by the network, a page opened from the
 * device's kept copy) marks the server unreachable until a small probe (`/healthz`) answers
 * again; the probe is repeated with a growing pause (2 s, doubling, at most 30 s) and at once
 * when the browser says the network came back.
 */

const PROBE_URL = '/healthz';
const FIRST_PAUSE_MS = 2000;
const MAX_PAUSE_MS = 30000;

let unreachable = false;
let pause = FIRST_PAUSE_MS;
let timer: ReturnType<typeof setTimeout> | undefined;
let probing = false;
let listening = false;
const changes = new EventTarget();

/** True when requests may be sent: the browser has a network and nothing failed since the last answer. */
export function online(): boolean {
  if (typeof navigator === 'undefined') return true;
  return navigator.onLine && !unreachable;
}

function announce() {
  changes.dispatchEvent(new CustomEvent('change', { detail: online() }));
}

function listen() {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('offline', announce);
  window.addEventListener('online', () => {
    if (unreachable) void probe();
    else announce();
  });
}

/** Calls `fn(online)` whenever the answer of `online()` changes (browser events and probes alike). */
export function onNetworkChange(fn: (online: boolean) => void): () => void {
  listen();
  const h = (ev: Event) => fn((ev as CustomEvent<boolean>).detail);
  changes.addEventListener('change', h);
  return () => changes.removeEventListener('change', h);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => void probe(), pause);
  pause = Math.min(pause * 2, MAX_PAUSE_MS);
}

/**
 * Asks the server whether it answers: an answer below 502 counts (a 502–504 is a proxy on the
 * way saying the server is gone). Reachable: marked so; not: asked again after the pause.
 */
async function probe(): Promise<boolean> {
  if (probing) return !unreachable;
  probing = true;
  try {
    const res = await fetch(PROBE_URL, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
    if (res.status < 502) {
      markReachable();
      return true;
    }
  } catch {
    // No answer at all.
  } finally {
    probing = false;
  }
  schedule();
  return false;
}

/** A request got no answer: the server counts as unreachable until a probe answers. */
export function markUnreachable(): void {
  if (typeof window === 'undefined') return;
  listen();
  if (!unreachable) {
    unreachable = true;
    pause = FIRST_PAUSE_MS;
    announce();
  }
  if (!timer && !probing) schedule();
}

/** A request got an answer: the server can be reached. */
export function markReachable(): void {
  clearTimeout(timer);
  timer = undefined;
  pause = FIRST_PAUSE_MS;
  if (!unreachable) return;
  unreachable = false;
  announce();
}

/**
 * The page was shown from the device's kept copy (the network failed or was too slow):
 * find out at once which of the two it was.
 */
export function checkReachable(): void {
  if (typeof window === 'undefined') return;
  listen();
  void probe().then((reachable) => reachable || markUnreachable());
}
