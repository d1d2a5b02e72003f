/**
 * One WebSocket per tab for what every page hears: the inbox count (the bell) and notices
 * that a group's discussions or tasks changed (live pages, boards, task chips). Components
 * take a lease and give it back; the socket closes with the last one. Each lease says which
 * groups it watches; the socket watches all of them together, so one component never
 * unwatches another's group. Chat rooms keep their own socket and cursors.
 */
import { LiveSocket, type Frame } from '../chat/live';

type Listener = { frame: (f: Frame) => void; open?: () => void; status?: (s: 'connecting' | 'live' | 'offline') => void };
let socket: LiveSocket | null = null;
const listeners = new Set<Listener>();
const wanted = new Map<Listener, string[]>();

function sync() {
  socket?.watchGroups([...new Set([...wanted.values()].flat())]);
}

export function leaseLive(l: Listener): { socket: LiveSocket; watch(groups: string[]): void; release(): void } {
  listeners.add(l);
  if (!socket) {
    socket = new LiveSocket(
      (f) => listeners.forEach((x) => x.frame(f)),
      (s) => listeners.forEach((x) => x.status?.(s)),
      () => listeners.forEach((x) => x.open?.()),
    );
    socket.connect();
  }
  const s = socket;
  return {
    socket: s,
    /** The groups this lease watches (replaces its previous list). */
    watch(groups) {
      wanted.set(l, [...groups]);
      sync();
    },
    release() {
      listeners.delete(l);
      wanted.delete(l);
      sync();
      if (listeners.size === 0 && socket === s) {
        s.close();
        socket = null;
      }
    },
  };
}
