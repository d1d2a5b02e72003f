import type { Msg } from './define';
import common from './messages/common';
import accounts from './messages/accounts';
import groups from './messages/groups';
import discussions from './messages/discussions';
import chat from './messages/chat';
import email from './messages/email';
import notifications from './messages/notifications';
import tasks from './messages/tasks';
import shell from './messages/shell';
import offline from './messages/offline';
import decide from './messages/decide';

export const locales = ['fr', 'nl', 'en'] as const;
export type Locale = (typeof locales)[number];
export const isLocale = (s: unknown): s is Locale => typeof s === 'string' && (locales as readonly string[]).includes(s);
export const localeNames: Record<Locale, string> = { fr: 'Français', nl: 'Nederlands', en: 'English' };

const catalogs = [common, accounts, groups, discussions, chat, email, notifications, tasks, shell, offline, decide];
type Keys<T> = T extends { en: Record<infer K, Msg> } ? K : never;
export type MessageKey = Keys<(typeof catalogs)[number]>;

const dict: Record<Locale, Record<string, Msg>> = { fr: {}, nl: {}, en: {} };
for (const c of catalogs) for (const l of locales) Object.assign(dict[l], c[l]);

export type Params = Record<string, string | number>;
export type T = (key: MessageKey | (string & {}), params?: Params) => string;

/** Returns the translate function for a locale. Unknown keys fall back to English, then to the key. */
const translators = new Map<Locale, T>();
export function translator(locale: Locale): T {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = makeTranslator(locale)));
  return t;
}

function makeTranslator(locale: Locale): T {
  const plural = new Intl.PluralRules(locale);
  return (key, params = {}) => {
    const m = dict[locale][key] ?? dict.en[key];
    if (m === undefined) return key;
    let s: string;
    if (typeof m === 'string') s = m;
    else {
      const n = Number(params.count ?? 0);
      s = n === 0 && m.zero ? m.zero : plural.select(n) === 'one' ? m.one : m.other;
    }
    return s.replace(/\{(\w+)\}/g, (_, p: string) => (params[p] !== undefined ? String(params[p]) : `{${p}}`));
  };
}

/** Picks the best locale from an Accept-Language header. */
export function negotiateLocale(header: string | null | undefined, fallback: Locale = 'fr'): Locale {
  if (!header) return fallback;
  const prefs = header
    .split(',')
    .map((p) => {
      const [tag, q] = p.trim().split(';q=');
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) if (isLocale(p.lang)) return p.lang;
  return fallback;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Formats a date in the member's language and time zone (formatters are cached: building one costs far more than using it). */
export function formatDate(iso: string | Date, locale: Locale, timeZone: string, style: 'short' | 'long' = 'short'): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const key = `${locale}|${timeZone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      style === 'long'
        ? { dateStyle: 'full', timeStyle: 'short', timeZone }
        : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone };
    try {
      f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale === 'fr' ? 'fr-BE' : 'nl-BE', opts);
    } catch {
      return d.toISOString();
    }
    if (formatters.size > 200) formatters.clear();
    formatters.set(key, f);
  }
  return f.format(d);
}

const relatives = new Map<Locale, Intl.RelativeTimeFormat>();
/**
 * "5 min ago", "il y a 3 h", "gisteren": a relative time for lists, falling back to the
 * date after a week. Rendered on the server at request time, so it is exact when sent.
 */
export function relativeTime(iso: string | Date, locale: Locale, timeZone: string, now: Date = new Date()): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const s = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(s);
  if (abs >= 7 * 86400) return formatDate(d, locale, timeZone);
  let f = relatives.get(locale);
  if (!f) relatives.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })));
  if (abs < 60) return f.format(0, 'second');
  if (abs < 3600) return f.format(Math.trunc(s / 60), 'minute');
  if (abs < 86400) return f.format(Math.trunc(s / 3600), 'hour');
  return f.format(Math.trunc(s / 86400), 'day');
}
