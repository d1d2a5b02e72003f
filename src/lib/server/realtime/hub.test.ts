import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryBus } from './bus';
import { Hub, type Listener } from './hub';

type Frame = { type: string; users: { name: string }[]; count: number };
const listener = (userId: string, frames: Frame[] = []): Listener => ({ userId, deliver() {}, push: (b) => frames.push(JSON.parse(b.toString())) });
const read = (b: Buffer) => JSON.parse(b.toString()) as Frame;

afterEach(() => vi.useRealTimers());

describe('Hub presence', () => {
  it('lists a small room by name, with each newcomer at once', () => {
    const hub = new Hub(new MemoryBus());
    hub.join('r', listener('u2'), { id: 'u2', name: 'Émile' });
    expect(read(hub.presenceFrame('r')).users.map((u) => u.name)).toEqual(['Émile']);
    hub.join('r', listener('u1'), { id: 'u1', name: 'Anne' });
    hub.join('r', listener('u3'), { id: 'u3', name: 'zoé' });
    const frame = read(hub.presenceFrame('r'));
    expect(frame.users.map((u) => u.name)).toEqual(['Anne', 'Émile', 'zoé']);
    expect(frame.count).toBe(3);
    hub.close();
  });

  it('does not sort a big room again for every member who joins it: newcomers are listed from the next batch', () => {
    vi.useFakeTimers();
    const hub = new Hub(new MemoryBus());
    const frames: Frame[] = [];
    for (let i = 0; i < 150; i++) hub.join('big', listener(`u${i}`, i === 0 ? frames : []), { id: `u${i}`, name: `Membre ${String(i).padStart(3, '0')}` });
    vi.advanceTimersByTime(2_000);
    expect(frames.at(-1)?.count).toBe(150);
    const online = vi.spyOn(hub, 'online');
    for (let i = 150; i < 200; i++) {
      hub.join('big', listener(`u${i}`), { id: `u${i}`, name: `Membre ${i}` });
      expect(read(hub.presenceFrame('big')).count).toBe(150);
    }
    expect(online).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(online).toHaveBeenCalledTimes(1);
    expect(frames.at(-1)?.count).toBe(200);
    expect(read(hub.presenceFrame('big')).count).toBe(200);
    hub.close();
  });
});
