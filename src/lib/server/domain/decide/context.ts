import type { Deps } from '../../kernel/deps';
import { invalidField } from '../../kernel/errors';
import { serverSecret } from '../../kernel/secret';
import type { TasksPort } from './ports';
import { isTimeZone, localToUtc, parseDate, parseTime } from './time';

/** What every use case of deciding and meeting receives. */
export type Ctx = { deps: Deps; tasks: TasksPort; secret: () => Buffer };

export function makeCtx(deps: Deps, tasks: TasksPort): Ctx {
  return { deps, tasks, secret: () => serverSecret(deps.config.dataDir) };
}

/** A time zone, or the field's error. */
export function zoneOr(tz: string, path = 'timeZone'): string {
  return isTimeZone(tz) ? tz : invalidField(path, 'bad_zone');
}

/** A real local date, or the field's error. */
export function dateOr(s: string, path: string): string {
  return parseDate(s) ? s : invalidField(path, 'bad_date');
}

/** A real local time (or none), or the field's error. */
export function timeOr(s: string | undefined, path: string): string {
  if (!s) return '';
  const t = parseTime(s);
  return t ? `${String(t.h).padStart(2, '0')}:${String(t.min).padStart(2, '0')}` : invalidField(path, 'bad_time');
}

/**
 * A deadline given as a local date and time (23:59 when no time) in a zone: its UTC instant,
 * which must be in the future. None when no date is given, unless `required`.
 */
export function deadlineOr(date: string | undefined, time: string | undefined, tz: string, now: Date, required: boolean): string | null {
  if (!date) return required ? invalidField('deadlineDate', 'required') : null;
  const d = dateOr(date, 'deadlineDate');
  const t = timeOr(time, 'deadlineTime') || '23:59';
  const at = localToUtc(d, t, tz);
  if (at.getTime() <= now.getTime()) invalidField('deadlineDate', 'date_past');
  return at.toISOString();
}
