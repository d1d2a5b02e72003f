/**
 * The browser side of the chat protocol: one WebSocket, one cursor per room, reconnect with
 * back-off and resume from the cursors, so no event is lost or shown twice.
 */
export type Frame = { type: string; [k: string]: any };

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempts = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Cursor per room: the last seq applied. */
  readonly cursors = new Map<string, number>();

  constructor(
    private onFrame: (f: Frame) => void,
    private onStatus: (s: 'connecting' | 'live' | 'offline') => void,
    private onOpen: () => void = () => {},
  ) {}

  /** Groups whose discussion notices this socket hears (sent again on every reconnect). */
  private groups: string[] = [];
  watchGroups(ids: string[]) {
    if (ids.length === this.groups.length && ids.every((g) => this.groups.includes(g))) return;
    const gone = this.groups.filter((g) => !ids.includes(g));
    this.groups = [...ids];
    if (!this.open) return;
    if (gone.length) this.send({ type: 'unwatch', groups: gone });
    if (ids.length) this.send({ type: 'watch', groups: ids });
  }

  watch(room: string, seq: number) {
    this.cursors.set(room, seq);
    if (this.open) this.send({ type: 'resume', rooms: { [room]: seq } });
  }

  get open() {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  connect() {
    this.stopped = false;
    this.onStatus('connecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      if (this.cursors.size) ws.send(JSON.stringify({ type: 'resume', rooms: Object.fromEntries(this.cursors) }));
      if (this.groups.length) ws.send(JSON.stringify({ type: 'watch', groups: this.groups }));
      this.onOpen();
    };
    ws.onmessage = (e) => {
      let f: Frame;
      try {
        f = JSON.parse(String(e.data));
      } catch {
        return;
      }
      if (f.type === 'event') {
        // Exactly once, in order: anything at or below the cursor was already applied.
        const c = this.cursors.get(f.room) ?? 0;
        if (f.seq <= c) return;
        this.cursors.set(f.room, f.seq);
      }
      if (f.type === 'subscribed') this.onStatus('live');
      this.onFrame(f);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.onStatus('offline');
      if (this.stopped) return;
      const wait = Math.min(15000, 500 * 2 ** this.attempts++) * (0.75 + Math.random() / 2);
      this.timer = setTimeout(() => this.connect(), wait);
    };
  }

  send(o: unknown): boolean {
    if (!this.open) return false;
    this.ws!.send(JSON.stringify(o));
    return true;
  }

  close() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
  }
}

/**
 * True when the element's bottom edge is in the viewport (or less than `slack` pixels
 * below it): the member is reading the latest messages, so new ones should stay in view.
 */
export function nearViewportBottom(el: Element | null, slack = 160): boolean {
  if (!el) return true;
  return el.getBoundingClientRect().bottom <= window.innerHeight + slack;
}

/**
 * Scrolls so that the end of the conversation and the composer under it are at the bottom
 * of the viewport: the newest message sits just above the composer, never under it.
 */
export function scrollToEnd(composer: Element | null, end: Element | null) {
  (composer ?? end)?.scrollIntoView({ block: 'end' });
}

export const newKey = () => {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
};
