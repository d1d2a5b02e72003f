import { describe, expect, it } from 'vitest';
import { createInflight } from './inflight';

describe('requests in flight', () => {
  it('counts running requests and tells when none are left, or gives up after a while', async () => {
    const f = createInflight();
    expect(await f.idle(10)).toBe(true);
    let release!: () => void;
    const slow = f.run(() => new Promise<string>((r) => (release = () => r('done'))));
    const failing = f.run(async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(f.count).toBe(1);
    expect(await f.idle(20)).toBe(false);
    const waiting = f.idle(5_000);
    release();
    expect(await slow).toBe('done');
    expect(await waiting).toBe(true);
    expect(f.count).toBe(0);
  });
});
