/**
 * One WebSocket per tab for what every page hears: the inbox count (the bell), unread chats,
 * and notices that a group's content changed (live pages). Components take a lease, say which
 * groups they watch (the socket watches them all together), and give the lease back; the
 * socket closes with the last one. Chat rooms keep their own socket and cursors.
 */
import { navigating } from '$app/state';
import { LiveSocket, type Frame } from '../chat/live';

type Listener = { frame: (f: Frame) => void; open?: () => void; status?: (s: 'connecting' | 'live' | 'offline') => void };
type Lease = { socket: LiveSocket; watch(groups: string[]): void; release(): void };

let socket: LiveSocket | null = null;
const listeners = new Map<Listener, string[]>();

function rewatch() {
  const all = new Set<string>();
  for (const groups of listeners.values()) for (const g of groups) all.add(g);
  socket?.watchGroups([...all].sort());
}

export function leaseLive(l: Listener): Lease {
  listeners.set(l, []);
  if (!socket) {
    socket = new LiveSocket(
      (f) => listeners.forEach((_, x) => x.frame(f)),
      (s) => listeners.forEach((_, x) => x.status?.(s)),
      () => listeners.forEach((_, x) => x.open?.()),
    );
    socket.connect();
  }
  const s = socket;
  return {
    socket: s,
    watch(groups) {
      if (!listeners.has(l)) return;
      listeners.set(l, [...groups]);
      rewatch();
    },
    release() {
      listeners.delete(l);
      if (listeners.size === 0 && socket === s) {
        s.close();
        socket = null;
      } else rewatch();
    },
  };
}

/**
 * Re-runs page loads for live news, unless a navigation is under way: the page it lands on
 * loads fresh anyway, and an invalidation started now would cancel the link just clicked.
 */
export function refreshUnlessNavigating(run: () => Promise<unknown>): void {
  if (navigating.to) return;
  void run();
}
