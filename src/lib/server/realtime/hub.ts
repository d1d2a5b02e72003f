import type { Bus, Envelope, Person } from './bus';

/** Something that listens to rooms: one WebSocket connection. */
export interface Listener {
  readonly userId: string;
  /** A committed room event, as a complete WebSocket text frame: the same bytes go to every listener. */
  deliver(room: string, seq: number, wire: WireFrame): void;
  /** An ephemeral frame (presence, typing). */
  push(frame: Buffer): void;
}

/** A server-to-client WebSocket text frame (header and payload), built once per event. */
export type WireFrame = { wire: Buffer; payload: Buffer };
export function textFrame(payload: Buffer): WireFrame {
  const n = payload.length;
  let head: Buffer;
  if (n < 126) head = Buffer.from([0x81, n]);
  else if (n < 65536) head = Buffer.from([0x81, 126, n >> 8, n & 255]);
  else {
    head = Buffer.alloc(10);
    head[0] = 0x81;
    head[1] = 127;
    head.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    head.writeUInt32BE(n >>> 0, 6);
  }
  return { wire: Buffer.concat([head, payload]), payload };
}

type RemoteNode = { at: number; rooms: Map<string, Person[]> };
/** How many people a presence frame lists (it also carries the total count). */
const PRESENCE_SHOWN = 50;
/** A room with more listeners than this gets its presence in batches (see `schedule`). */
const BIG_ROOM = 100;
/** One collator for every sort by name (`localeCompare` builds one per call). */
const byName = new Intl.Collator(undefined).compare;

/**
 * The process's fan-out point: which local listeners are in which room, and who is online
 * in each room across processes. Room frames arrive from the bus already encoded and are
 * turned into one Buffer, written to every local listener of the room.
 */
export class Hub {
  private rooms = new Map<string, Set<Listener>>();
  /** Presence of this process: room → user → (person, number of their connections). */
  private local = new Map<string, Map<string, { person: Person; n: number }>>();
  private remote = new Map<string, RemoteNode>();
  private timer: NodeJS.Timeout;
  /** Rooms whose presence changed: published and shown in batches, not once per join. */
  private dirtyBus = new Set<string>();
  private dirtyLocal = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  /**
   * Each room's presence frame, as last computed. A small room's is recomputed after every
   * change; a big room's when its batch is flushed, so that the members joining a room of
   * thousands do not each sort all of them (a new member is listed from the next batch on).
   */
  private presence = new Map<string, Buffer>();

  constructor(
    readonly bus: Bus,
    private heartbeatMs = 5000,
  ) {
    bus.subscribe((e) => this.onBus(e));
    this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
    this.timer.unref();
    bus.publish({ t: 'hello' });
  }

  /** Listeners of group notices (live discussion pages): no presence, no seq, local only. */
  private topics = new Map<string, Set<Listener>>();

  watchGroup(groupId: string, l: Listener) {
    let set = this.topics.get(groupId);
    if (!set) this.topics.set(groupId, (set = new Set()));
    set.add(l);
  }
  unwatchGroup(groupId: string, l: Listener) {
    const set = this.topics.get(groupId);
    if (set?.delete(l) && set.size === 0) this.topics.delete(groupId);
  }
  /**
   * Tells every process's listeners of a group that its content changed, right after the
   * commit (through the bus: at once across processes). Notices carry ids only; listeners
   * were checked with `group.read` when they started watching.
   */
  publishNotice(groupId: string, kind: string, ids: Record<string, string>, actor: string | null = null) {
    this.bus.publish({ t: 'notice', group: groupId, kind, ids, actor });
  }
  private groupNotice(groupId: string, kind: string, ids: Record<string, string>, actor: string | null) {
    const set = this.topics.get(groupId);
    if (!set?.size) return;
    const frame = Buffer.from(JSON.stringify({ type: 'notice', group: groupId, kind, discussionId: ids.discussionId ?? null, room: ids.roomId ?? null, ids }));
    // A new chat message is no news to its author (their unread counts do not change).
    const skip = kind.startsWith('chat.') ? actor : null;
    for (const l of set) if (l.userId !== skip) l.push(frame);
  }

  /** Every open connection of each member, on this process. */
  private people = new Map<string, Set<Listener>>();
  attachUser(l: Listener) {
    let set = this.people.get(l.userId);
    if (!set) this.people.set(l.userId, (set = new Set()));
    set.add(l);
  }
  detachUser(l: Listener) {
    const set = this.people.get(l.userId);
    if (set?.delete(l) && set.size === 0) this.people.delete(l.userId);
  }
  /** Sends a frame to every connection of a member, on every process (after a commit). */
  toUser(userId: string, frame: object) {
    this.bus.publish({ t: 'user', user: userId, frame: JSON.stringify(frame) });
  }

  /** Called by the chat service after a commit. */
  publishEvent(room: string, seq: number, frame: string) {
    this.bus.publish({ t: 'room', room, seq, frame });
  }

  join(room: string, l: Listener, person: Person) {
    let set = this.rooms.get(room);
    if (!set) this.rooms.set(room, (set = new Set()));
    if (set.has(l)) return;
    set.add(l);
    let users = this.local.get(room);
    if (!users) this.local.set(room, (users = new Map()));
    const u = users.get(person.id);
    if (u) u.n++;
    else {
      users.set(person.id, { person, n: 1 });
      this.presenceChanged(room);
    }
  }

  leave(room: string, l: Listener) {
    const set = this.rooms.get(room);
    if (!set?.delete(l)) return;
    if (set.size === 0) this.rooms.delete(room);
    const users = this.local.get(room);
    const u = users?.get(l.userId);
    if (!users || !u) return;
    if (--u.n > 0) return;
    users.delete(l.userId);
    if (users.size === 0) this.local.delete(room);
    this.presenceChanged(room);
  }

  typing(room: string, user: Person) {
    this.bus.publish({ t: 'typing', room, user });
  }

  /** Who is online in a room now, across every process (sorted by name). */
  online(room: string): Person[] {
    const byId = new Map<string, Person>();
    for (const { person } of this.local.get(room)?.values() ?? []) byId.set(person.id, person);
    for (const n of this.remote.values()) for (const p of n.rooms.get(room) ?? []) byId.set(p.id, p);
    return [...byId.values()].sort((a, b) => byName(a.name, b.name));
  }

  listenerCount(room?: string) {
    if (room) return this.rooms.get(room)?.size ?? 0;
    let n = 0;
    for (const s of this.rooms.values()) n += s.size;
    return n;
  }

  /** The presence frame of a room: the first people by name and how many are online. */
  presenceFrame(room: string): Buffer {
    let frame = this.presence.get(room);
    if (!frame) {
      const all = this.online(room);
      frame = Buffer.from(JSON.stringify({ type: 'presence', room, users: all.slice(0, PRESENCE_SHOWN), count: all.length }));
      if (all.length) this.presence.set(room, frame);
    }
    return frame;
  }

  close() {
    clearInterval(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    // Tell the others this process's people are gone.
    const rooms = [...this.local.keys()];
    this.local.clear();
    this.presence.clear();
    for (const room of rooms) this.bus.publish({ t: 'presence', room, users: [] });
  }

  private localPeople(room: string): Person[] {
    return [...(this.local.get(room)?.values() ?? [])].map((u) => u.person);
  }

  private presenceChanged(room: string) {
    this.dirtyBus.add(room);
    this.staleIfSmall(room);
    this.schedule(room);
  }

  /** Sends the room's current presence to its local listeners (batched: big rooms see many joins). */
  private notify(room: string) {
    this.dirtyLocal.add(room);
    this.staleIfSmall(room);
    this.schedule(room);
  }

  private staleIfSmall(room: string) {
    if ((this.rooms.get(room)?.size ?? 0) <= BIG_ROOM) this.presence.delete(room);
  }

  private schedule(room: string) {
    if (this.flushTimer) return;
    const big = (this.rooms.get(room)?.size ?? 0) > BIG_ROOM;
    this.flushTimer = setTimeout(() => this.flush(), big ? 2000 : 150);
    this.flushTimer.unref();
  }

  private flush() {
    this.flushTimer = null;
    const bus = [...this.dirtyBus];
    this.dirtyBus.clear();
    for (const room of bus) this.bus.publish({ t: 'presence', room, users: this.localPeople(room) });
    const local = [...this.dirtyLocal];
    this.dirtyLocal.clear();
    for (const room of local) {
      this.presence.delete(room);
      const set = this.rooms.get(room);
      if (!set?.size) continue;
      const frame = this.presenceFrame(room);
      for (const l of set) l.push(frame);
    }
  }

  private heartbeat() {
    const now = Date.now();
    for (const [node, r] of this.remote)
      if (now - r.at > this.heartbeatMs * 3) {
        this.remote.delete(node);
        for (const room of r.rooms.keys()) this.notify(room);
      }
    const rooms: Record<string, Person[]> = {};
    for (const room of this.local.keys()) rooms[room] = this.localPeople(room);
    this.bus.publish({ t: 'presence-all', rooms });
  }

  private remoteNode(node: string): RemoteNode {
    let r = this.remote.get(node);
    if (!r) this.remote.set(node, (r = { at: Date.now(), rooms: new Map() }));
    r.at = Date.now();
    return r;
  }

  private onBus(e: Envelope) {
    const mine = e.node === this.bus.node;
    switch (e.t) {
      case 'room': {
        const set = this.rooms.get(e.room);
        if (!set?.size) return;
        // Encoded once, framed once: every listener gets the same bytes on the wire.
        const wire = textFrame(Buffer.from(e.frame));
        for (const l of set) l.deliver(e.room, e.seq, wire);
        return;
      }
      case 'typing': {
        const set = this.rooms.get(e.room);
        if (!set?.size) return;
        const buf = Buffer.from(JSON.stringify({ type: 'typing', room: e.room, user: e.user }));
        for (const l of set) if (l.userId !== e.user.id) l.push(buf);
        return;
      }
      case 'presence': {
        if (!mine) {
          const r = this.remoteNode(e.node);
          if (e.users.length) r.rooms.set(e.room, e.users);
          else r.rooms.delete(e.room);
        }
        this.notify(e.room);
        return;
      }
      case 'presence-all': {
        if (mine) return;
        const r = this.remoteNode(e.node);
        const before = new Map(r.rooms);
        r.rooms = new Map(Object.entries(e.rooms));
        for (const room of new Set([...before.keys(), ...r.rooms.keys()]))
          if (JSON.stringify(before.get(room) ?? []) !== JSON.stringify(r.rooms.get(room) ?? [])) this.notify(room);
        return;
      }
      case 'notice':
        this.groupNotice(e.group, e.kind, e.ids, e.actor ?? null);
        return;
      case 'user': {
        const set = this.people.get(e.user);
        if (!set?.size) return;
        const buf = Buffer.from(e.frame);
        for (const l of set) l.push(buf);
        return;
      }
      case 'hello':
        if (!mine) this.heartbeat();
        return;
    }
  }
}
