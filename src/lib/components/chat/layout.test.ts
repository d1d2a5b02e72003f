import { describe, expect, it } from 'vitest';
import { dayLabel, place, timeOf } from './layout';

const msg = (author: string, createdAt: string, deletedAt: string | null = null) => ({ author: { id: author }, createdAt, deletedAt });

describe('chat layout', () => {
  it('groups consecutive messages of one author into runs, split by another author, a pause or a new day', () => {
    const placed = place(
      [
        msg('anne', '2026-11-30T09:00:00Z'),
        msg('anne', '2026-11-30T09:03:00Z'), // same run
        msg('bob', '2026-11-30T09:04:00Z'), // another author
        msg('bob', '2026-11-30T09:20:00Z'), // a pause
        msg('bob', '2026-11-30T22:59:00Z'), // 23:59 in Brussels
        msg('bob', '2026-11-30T23:01:00Z'), // 00:01 the next day in Brussels
      ],
      'Europe/Brussels',
    );
    expect(placed.map((p) => p.first)).toEqual([true, false, true, true, true, true]);
    expect(placed.map((p) => p.day)).toEqual(['2026-11-30', null, null, null, null, '2026-12-01']);
  });
  it('starts a new run after a deleted message', () => {
    expect(place([msg('anne', '2026-11-30T09:00:00Z', '2026-11-30T09:01:00Z'), msg('anne', '2026-11-30T09:02:00Z')], 'UTC').map((p) => p.first)).toEqual([true, true]);
  });
  it('names days as today, yesterday or a date, in the member’s language', () => {
    const now = new Date('2026-11-30T10:00:00Z');
    expect(dayLabel('2026-11-30', 'en', 'UTC', now)).toBe('Today');
    expect(dayLabel('2026-11-29', 'fr', 'UTC', now)).toBe('Hier');
    expect(dayLabel('2026-11-29', 'nl', 'UTC', now)).toBe('Gisteren');
    expect(dayLabel('2026-11-27', 'fr', 'UTC', now)).toBe('Vendredi 27 novembre');
    expect(dayLabel('2025-11-27', 'en', 'UTC', now)).toMatch(/2025/);
  });
  it('gives a message’s time in the member’s zone, each zone and language with its own formatter', () => {
    expect(timeOf('2026-11-30T09:05:00Z', 'fr', 'Europe/Brussels')).toBe('10:05');
    expect(timeOf('2026-11-30T09:05:00Z', 'fr', 'UTC')).toBe('09:05');
    expect(timeOf('2026-11-30T21:05:00Z', 'en', 'America/New_York')).toBe('16:05');
  });
});
