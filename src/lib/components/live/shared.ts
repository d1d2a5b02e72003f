/**
 * One WebSocket per tab for what every page hears: the inbox count (the bell) and notices
 * that a group's discussions changed (live pages). Components take a lease and give it
 * back; the socket closes with the last one. Chat rooms keep their own socket and cursors.
 */
import { LiveSocket, type Frame } from '../chat/live';

type Listener = { frame: (f: Frame) => void; open?: () => void; status?: (s: 'connecting' | 'live' | 'offline') => void };
let socket: LiveSocket | null = null;
const listeners = new Set<Listener>();

export function leaseLive(l: Listener): { socket: LiveSocket; release(): void } {
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
    release() {
      listeners.delete(l);
      if (listeners.size === 0 && socket === s) {
        s.close();
        socket = null;
      }
    },
  };
}
