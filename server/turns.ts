/**
 * Requests served in the order they arrive, a short slice of them per turn of the event loop.
 *
 * Why: libuv (Node 20 to 24) accepts one new connection per turn of the loop, and in one turn
 * it runs the callbacks of every connection that has a request waiting. When pages cost
 * milliseconds of CPU and the server is busy, a turn serves every connection already open
 * (50 connections × 8 ms = 400 ms), and only then accepts one more: the k-th new connection
 * waits k such turns for its first answer. Measured with a bare node:http server spending 8 ms
 * per request and 50 connections opened at once: some connections got one answer in six
 * seconds, p99 6.3 s for a p50 of 0.25 s (bench/PROFILE.md).
 *
 * Here a request only joins a queue when it arrives; the queue is served from `setImmediate`,
 * for at most `sliceMs` of work per turn, then the loop goes back to the network (accepts,
 * reads, new requests join the end of the queue). A request therefore waits for the requests
 * that arrived before it, never for connections that keep coming back: the same throughput,
 * p99 0.44 s in the measure above. Cheap requests (static files) are still served many per
 * turn. A request whose connection closed while it waited is dropped unanswered.
 *
 * Handlers that wait for I/O (PostgreSQL, files) still run side by side: the queue decides
 * when a request starts, not when it ends.
 */
import type http from 'node:http';

export type Serve = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export function inArrivalOrder(serve: Serve, sliceMs = 2, maxArmed = 64): Serve & { waiting(): number } {
  let queue: [http.IncomingMessage, http.ServerResponse][] = [];
  let head = 0;
  // Immediates scheduled and not yet run, and when this turn's slice began (-1: not yet).
  let armed = 0;
  let sliceStart = -1;

  const waiting = () => queue.length - head;
  // Scheduled by the first immediate of a turn, it runs first in the next turn's.
  const endSlice = () => (sliceStart = -1);
  const arm = () => {
    for (; armed < Math.min(waiting(), maxArmed); armed++) setImmediate(tick);
  };

  // Each request is started from its own immediate: Node runs the microtasks of one before the
  // next, so a handler that does not wait for I/O runs from its start to its end before the
  // next request starts. The immediates of one turn serve requests until the slice is used;
  // those left over wait for the next turn (an immediate scheduled from one runs after the
  // network's part of the next turn): the first of each turn always serves one.
  function tick() {
    armed--;
    const now = performance.now();
    if (sliceStart < 0) {
      sliceStart = now;
      setImmediate(endSlice);
    }
    if (now - sliceStart < sliceMs) serveNext();
    arm();
  }

  function serveNext() {
    while (head < queue.length) {
      const [req, res] = queue[head];
      queue[head++] = undefined as never;
      if (req.socket.destroyed) continue;
      try {
        serve(req, res);
      } catch (error) {
        // The handler answers its own errors; this is the last line of defence.
        console.error('[ruche] request failed', error);
        if (!res.headersSent) res.writeHead(500).end();
      }
      break;
    }
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head > 1024) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  const enqueue = (req: http.IncomingMessage, res: http.ServerResponse) => {
    queue.push([req, res]);
    arm();
  };
  return Object.assign(enqueue, { waiting });
}
