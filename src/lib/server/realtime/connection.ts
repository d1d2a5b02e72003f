import type { WebSocket } from 'ws';
import { isDomainError } from '../kernel/errors';
import type { Actor } from '../policy';
import type { ChatService } from '../domain/chat/chat.service';
import { canReadRoom, type RoomRow } from '../domain/chat/chat.repo';
import { textFrame, type Hub, type Listener, type WireFrame } from './hub';
import type { Person } from './bus';
import { ClientFrame, CLOSE_SLOW_CONSUMER, type Limits } from './protocol';
import { READ_ONLY_FRAMES } from '../domain/accounts/sessions';

/** Connections with frames waiting: written once per tick, after everything the tick produced. */
const dirty = new Set<Connection>();
let flushing = false;
function scheduleFlush(c: Connection) {
  dirty.add(c);
  if (flushing) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    const list = [...dirty];
    dirty.clear();
    for (const x of list) x.flush();
  });
}

type T = (key: string, params?: Record<string, string | number>) => string;
type Sub = { room: RoomRow; sent: number; catchingUp: boolean; pending: [number, WireFrame][] };

/** What a connection needs from the app. */
export type ConnectionDeps = {
  chat: ChatService;
  hub: Hub;
  actorFor(userId: string): Promise<Actor>;
  /** Of these groups, those whose discussions the actor may read (live pages' notices). */
  watchable(actor: Actor, groupIds: string[]): Promise<string[]>;
  limits: Limits;
  log(m: string): void;
  /** Opened with a read token: the connection may subscribe and listen, not write. */
  readOnly?: boolean;
};

/**
 * One member's WebSocket. Keeps one cursor per room and sends each room's events in order
 * exactly once: live frames with the next seq go straight out; a gap (a frame published
 * out of order by another process) or a resume is filled from the room's stored events.
 */
export class Connection implements Listener {
  private subs = new Map<string, Sub>();
  /** Groups whose discussion notices this connection hears (checked with `group.read`). */
  private groups = new Set<string>();
  private tokens: number;
  private last = Date.now();
  private closed = false;
  private queue: Promise<void> = Promise.resolve();
  private out: Buffer[] = [];

  constructor(
    private ws: WebSocket,
    readonly person: Person,
    private actor: Actor,
    private t: T,
    private d: ConnectionDeps,
  ) {
    this.tokens = d.limits.burst;
    // Frames are handled one after another: a member's messages keep the order they were sent in.
    ws.on('message', (data, isBinary) => {
      this.queue = this.queue.then(() => this.onFrame(data as Buffer, isBinary)).catch((e) => this.d.log(`realtime: ${(e as Error)?.message}`));
    });
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
    d.hub.attachUser(this);
    this.sendJson({ type: 'hello', user: person });
  }

  get userId() {
    return this.person.id;
  }

  deliver(room: string, seq: number, frame: WireFrame) {
    const s = this.subs.get(room);
    if (!s) return;
    if (s.catchingUp) {
      s.pending.push([seq, frame]);
      return;
    }
    if (seq <= s.sent) return;
    if (seq === s.sent + 1) {
      s.sent = seq;
      this.writeWire(frame);
      return;
    }
    s.pending.push([seq, frame]);
    void this.catchUp(room, s);
  }

  push(frame: Buffer) {
    this.write(frame);
  }

  /** Re-reads the member's groups and drops rooms they may no longer read. */
  async recheck() {
    if (this.closed) return;
    this.actor = await this.d.actorFor(this.person.id);
    for (const [room, s] of this.subs)
      if (!canReadRoom(this.actor, s.room)) {
        this.unsubscribe(room);
        this.sendJson({ type: 'unsubscribed', room, reason: 'access' });
      }
    if (this.groups.size === 0) return;
    const still = new Set(await this.d.watchable(this.actor, [...this.groups]));
    for (const g of [...this.groups])
      if (!still.has(g)) {
        this.groups.delete(g);
        this.d.hub.unwatchGroup(g, this);
        this.sendJson({ type: 'unwatched', group: g, reason: 'access' });
      }
  }

  rooms() {
    return [...this.subs.keys()];
  }

  /** Closes the socket from the server side (e.g. its session or token has ended). */
  end(code: number, reason: string) {
    if (this.closed) return;
    this.dispose();
    this.ws.close(code, reason);
  }

  /** False (and the connection closed with 4008) when the client does not keep up. */
  private writable(): boolean {
    if (this.closed || this.ws.readyState !== 1) return false;
    // What the socket could not hand to the kernel after earlier ticks; this tick's queue is written below.
    if (this.ws.bufferedAmount > this.d.limits.maxBufferedBytes) {
      this.closed = true;
      this.out = [];
      this.ws.close(CLOSE_SLOW_CONSUMER, 'slow consumer: send buffer full');
      this.dispose();
      return false;
    }
    return true;
  }
  private write(frame: Buffer | string) {
    this.writeWire(textFrame(typeof frame === 'string' ? Buffer.from(frame) : frame));
  }
  /**
   * Every frame of this connection goes through one queue, written at the end of the tick:
   * room events arrive already framed (no per-listener framing), and when the server is
   * busy several frames leave in one write. Safe with ws because compression is off, so its
   * own sender never holds frames back.
   */
  private writeWire(f: WireFrame) {
    if (!this.writable()) return;
    this.out.push(f.wire);
    if (this.out.length === 1) scheduleFlush(this);
  }
  /** Called by the tick's flush. */
  flush() {
    const out = this.out;
    this.out = [];
    if (this.closed || this.ws.readyState !== 1 || out.length === 0) return;
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void; write(b: Buffer): boolean } })._socket;
    if (!socket) return;
    if (out.length === 1) socket.write(out[0]);
    else {
      socket.cork();
      for (const b of out) socket.write(b);
      socket.uncork();
    }
  }
  private sendJson(o: unknown) {
    this.write(JSON.stringify(o));
  }
  private error(code: string, ref?: string, params?: Record<string, string | number>) {
    this.sendJson({ type: 'error', code, message: this.t(`errors.${code}`, params), ...(ref ? { ref } : {}) });
  }

  private dispose() {
    this.closed = true;
    this.d.hub.detachUser(this);
    for (const room of this.subs.keys()) this.d.hub.leave(room, this);
    this.subs.clear();
    for (const g of this.groups) this.d.hub.unwatchGroup(g, this);
    this.groups.clear();
  }

  private unsubscribe(room: string) {
    if (this.subs.delete(room)) this.d.hub.leave(room, this);
  }

  private allow(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.d.limits.burst, this.tokens + ((now - this.last) / 1000) * this.d.limits.framesPerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async onFrame(data: Buffer, isBinary: boolean) {
    if (this.closed) return;
    if (!this.allow()) return this.error('rate_limited_frames');
    if (data.length > this.d.limits.maxFrameBytes) return this.error('frame_too_big', undefined, { max: this.d.limits.maxFrameBytes });
    let raw: unknown;
    try {
      raw = JSON.parse(isBinary ? data.toString('utf8') : data.toString());
    } catch {
      return this.error('bad_frame');
    }
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) {
      const r = (raw as { ref?: unknown })?.ref;
      return this.error('bad_frame', typeof r === 'string' ? r.slice(0, 64) : undefined);
    }
    const f = parsed.data;
    const ref = 'ref' in f ? f.ref : undefined;
    if (this.d.readOnly && !READ_ONLY_FRAMES.has(f.type)) return this.error('token_read_only', ref);
    try {
      await this.handle(f);
    } catch (e) {
      if (!isDomainError(e)) {
        this.d.log(`realtime: ${(e as Error)?.stack ?? e}`);
        return this.error('server', ref);
      }
      const issue = e.issues[0];
      if (issue) return this.error(issue.code, ref, issue.params);
      return this.error(e.code, ref, e.params);
    }
  }

  private async handle(f: ClientFrame) {
    switch (f.type) {
      case 'ping':
        return this.sendJson({ type: 'pong', ref: f.ref });
      case 'resume': {
        // Re-check the actor on every subscribe: the member may have left a group meanwhile.
        this.actor = await this.d.actorFor(this.person.id);
        for (const [roomId, cursor] of Object.entries(f.rooms)) {
          let room: RoomRow;
          try {
            room = await this.d.chat.room(this.actor, { roomId });
          } catch (e) {
            if (!isDomainError(e)) throw e;
            this.error('unknown_room', f.ref);
            continue;
          }
          await this.subscribe(room, cursor, f.ref);
        }
        return;
      }
      case 'unsubscribe':
        return this.unsubscribe(f.room);
      case 'watch': {
        // Checked now and again on every access change, like chat rooms.
        this.actor = await this.d.actorFor(this.person.id);
        const ok = await this.d.watchable(this.actor, f.groups);
        if (this.closed) return;
        const allowed = new Set(ok);
        for (const g of allowed)
          if (!this.groups.has(g)) {
            if (this.groups.size >= 200) break;
            this.groups.add(g);
            this.d.hub.watchGroup(g, this);
          }
        if (f.groups.some((g) => !allowed.has(g))) this.error('unknown_group', f.ref);
        return this.sendJson({ type: 'watching', groups: [...this.groups].filter((g) => allowed.has(g)), ref: f.ref });
      }
      case 'unwatch':
        for (const g of f.groups) if (this.groups.delete(g)) this.d.hub.unwatchGroup(g, this);
        return this.sendJson({ type: 'watching', groups: [...this.groups], ref: f.ref });
      case 'typing': {
        const s = this.subs.get(f.room);
        if (!s) return this.error('unknown_room');
        return this.d.hub.typing(f.room, this.person);
      }
      case 'read': {
        const r = await this.d.chat.markRead(this.actor, { roomId: f.room, seq: f.seq });
        return this.sendJson({ type: 'read', room: r.roomId, readSeq: r.readSeq, unread: r.unread, ref: f.ref });
      }
      case 'send': {
        this.actor = await this.d.actorFor(this.person.id);
        const r = await this.d.chat.send(this.actor, { roomId: f.room, key: f.key, body: f.body, parentId: f.parentId });
        return this.sendJson({ type: 'ack', ref: f.ref, key: f.key, room: f.room, seq: r.seq, id: r.message.id, duplicate: r.duplicate });
      }
      case 'edit': {
        this.actor = await this.d.actorFor(this.person.id);
        const r = await this.d.chat.edit(this.actor, { messageId: f.id, body: f.body });
        return this.sendJson({ type: 'ack', ref: f.ref, room: r.message.roomId, seq: r.seq, id: r.message.id });
      }
      case 'delete': {
        this.actor = await this.d.actorFor(this.person.id);
        const r = await this.d.chat.remove(this.actor, { messageId: f.id });
        return this.sendJson({ type: 'ack', ref: f.ref, room: r.message.roomId, seq: r.seq, id: r.message.id });
      }
      case 'react': {
        this.actor = await this.d.actorFor(this.person.id);
        const r = await this.d.chat.react(this.actor, { messageId: f.id, emoji: f.emoji, on: f.on });
        return this.sendJson({ type: 'ack', ref: f.ref, room: r.message.roomId, seq: r.seq, id: r.message.id });
      }
    }
  }

  /** Joins a room from a cursor: replays what was missed, then goes live. */
  private async subscribe(room: RoomRow, cursor: number, ref?: string) {
    const existing = this.subs.get(room.id);
    if (existing) {
      // Already live: only a lower cursor means the client lost something; replay from there.
      if (cursor >= existing.sent) return this.sendJson({ type: 'subscribed', room: room.id, seq: existing.sent, ref });
      existing.sent = cursor;
      await this.catchUp(room.id, existing);
      return this.sendJson({ type: 'subscribed', room: room.id, seq: existing.sent, ref });
    }
    const s: Sub = { room, sent: cursor, catchingUp: false, pending: [] };
    if (room.lastSeq - cursor > this.d.limits.maxReplay) {
      s.sent = room.lastSeq;
      this.sendJson({ type: 'reset', room: room.id, seq: room.lastSeq });
    }
    this.subs.set(room.id, s);
    this.d.hub.join(room.id, this, this.person);
    await this.catchUp(room.id, s);
    if (this.subs.get(room.id) !== s) return;
    this.sendJson({ type: 'subscribed', room: room.id, seq: s.sent, ref });
    this.push(this.d.hub.presenceFrame(room.id));
  }

  /** Sends stored events after the room's cursor, then any live frames held meanwhile, in order. */
  private async catchUp(roomId: string, s: Sub) {
    if (s.catchingUp) return;
    s.catchingUp = true;
    try {
      for (let round = 0; round < 100 && !this.closed && this.subs.get(roomId) === s; round++) {
        const { events } = await this.d.chat.eventsSince(this.actor, { roomId, after: s.sent, limit: 500 });
        for (const e of events)
          if (e.seq === s.sent + 1) {
            s.sent = e.seq;
            this.write(e.frame);
          }
        if (events.length === 500) continue;
        s.pending.sort((a, b) => a[0] - b[0]);
        const held = s.pending;
        s.pending = [];
        let gap = false;
        for (const [seq, frame] of held) {
          if (seq <= s.sent) continue;
          if (seq === s.sent + 1) {
            s.sent = seq;
            this.writeWire(frame);
          } else {
            gap = true;
            s.pending.push([seq, frame]);
          }
        }
        if (!gap) break;
      }
    } catch (e) {
      if (!isDomainError(e)) throw e;
      this.unsubscribe(roomId);
      this.sendJson({ type: 'unsubscribed', room: roomId, reason: 'access' });
    } finally {
      s.catchingUp = false;
    }
  }
}
