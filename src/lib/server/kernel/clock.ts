/** Injected time, so tests can move it. Times are stored as ISO-8601 UTC strings. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export class ManualClock implements Clock {
  constructor(private t = new Date('2026-01-15T10:00:00Z')) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t = new Date(this.t.getTime() + ms);
  }
}
export const iso = (d: Date) => d.toISOString();
