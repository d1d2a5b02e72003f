/**
 * Times in a member's own time zone: "every day at 8:00", "Mondays at 18:00" or "quiet
 * until 7:00" mean local wall-clock time, across daylight-saving changes.
 */
const dtf = new Map<string, Intl.DateTimeFormat>();
export function localParts(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; weekday: number } {
  let f = dtf.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    } catch {
      return localParts(at, 'UTC');
    }
    dtf.set(timeZone, f);
  }
  const o: Record<string, string> = {};
  for (const p of f.formatToParts(at)) o[p.type] = p.value;
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(o.weekday) + 1;
  return { y: Number(o.year), m: Number(o.month), d: Number(o.day), h: Number(o.hour), min: Number(o.minute), weekday: wd };
}

/** The local weekday (1 = Monday … 7 = Sunday) of an instant in a time zone. */
export const localWeekday = (at: Date, timeZone: string) => localParts(at, timeZone).weekday;

/** The UTC instant of local date y-m-d at hour:00 in a time zone. */
export function zonedTime(y: number, m: number, d: number, hour: number, timeZone: string): Date {
  const guess = Date.UTC(y, m - 1, d, hour);
  const offsetAt = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min) - Math.floor(t / 60_000) * 60_000;
  };
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return new Date(t);
}

/**
 * The next digest time strictly after `after`: the next local `hour`:00, on `weekday` only
 * when `weeklyOnly` (a member whose groups are all weekly need not be woken every day).
 */
export function nextDigestTime(after: Date, timeZone: string, hour: number, weekday: number, weeklyOnly: boolean): Date {
  const start = localParts(after, timeZone);
  for (let i = 0; i < 9; i++) {
    const base = new Date(Date.UTC(start.y, start.m - 1, start.d + i));
    const at = zonedTime(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), hour, timeZone);
    if (at.getTime() <= after.getTime()) continue;
    if (weeklyOnly && localWeekday(at, timeZone) !== weekday) continue;
    return at;
  }
  return new Date(after.getTime() + 86_400_000);
}

/** The next local `hour`:00 strictly after `after`, in a time zone. */
export const nextLocalHour = (after: Date, timeZone: string, hour: number) => nextDigestTime(after, timeZone, hour, 1, false);
