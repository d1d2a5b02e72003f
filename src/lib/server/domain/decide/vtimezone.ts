import { localParts } from '../../kernel/zoned-time';

/**
 * VTIMEZONE blocks (RFC 5545 §3.6.5) for IANA zones, computed from the zone rules the
 * JavaScript runtime carries (Intl), so every TZID a calendar names comes with its
 * definition and clients need no zone database of their own. Each offset change in the
 * span is one observance with its onset; the span starts with the offset in force then.
 */
const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
const DAY = 86_400_000;

/** Minutes east of UTC at an instant. */
export function offsetAt(timeZone: string, ms: number): number {
  const p = localParts(new Date(ms), timeZone);
  return Math.round((Date.UTC(p.y, p.m - 1, p.d, p.h, p.min) - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

const fmtOffset = (min: number) => `${min < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(min) / 60))}${pad(Math.abs(min) % 60)}`;
/** Local wall-clock time of `ms` at `offset` minutes, as iCalendar writes it. */
function localStamp(ms: number, offset: number): string {
  const d = new Date(ms + offset * 60_000);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** The instants in [from, to) where the zone's offset changes, to the minute. */
export function transitions(timeZone: string, from: number, to: number): { at: number; before: number; after: number }[] {
  const out: { at: number; before: number; after: number }[] = [];
  let prev = offsetAt(timeZone, from);
  for (let t = from + DAY; t <= to; t += DAY) {
    const cur = offsetAt(timeZone, t);
    if (cur === prev) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
      if (offsetAt(timeZone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before: prev, after: cur });
    prev = cur;
  }
  return out;
}

const cache = new Map<string, string>();

/** The VTIMEZONE of `timeZone` covering the years `fromYear` to `toYear` (CRLF lines). */
export function vtimezone(timeZone: string, fromYear: number, toYear: number): string {
  const key = `${timeZone}|${fromYear}|${toYear}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const from = Date.UTC(fromYear, 0, 1);
  const to = Date.UTC(toYear + 1, 0, 1);
  const changes = transitions(timeZone, from, to);
  const first = offsetAt(timeZone, from);
  const standard = Math.min(first, ...changes.map((c) => c.after));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, `X-LIC-LOCATION:${timeZone}`];
  const observance = (onset: number, before: number, after: number) => {
    const kind = after > standard ? 'DAYLIGHT' : 'STANDARD';
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStamp(onset, before)}`, `TZOFFSETFROM:${fmtOffset(before)}`, `TZOFFSETTO:${fmtOffset(after)}`, `TZNAME:${zoneName(timeZone, onset, after)}`, `END:${kind}`);
  };
  observance(from, first, first);
  for (const c of changes) observance(c.at, c.before, c.after);
  lines.push('END:VTIMEZONE');
  const out = lines.join('\r\n') + '\r\n';
  if (cache.size > 200) cache.clear();
  cache.set(key, out);
  return out;
}

/** A short name for the offset (CET, CEST, GMT+3…), as the runtime names it. */
function zoneName(timeZone: string, at: number, offset: number): string {
  try {
    const n = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' }).formatToParts(new Date(at + 60_000)).find((p) => p.type === 'timeZoneName')?.value;
    if (n && /^[A-Za-z0-9+:-]{1,12}$/.test(n)) return n;
  } catch {
    // fall through
  }
  return `UTC${fmtOffset(offset)}`;
}
