import type { Msg } from './define';
import type common from './messages/common';
import type accounts from './messages/accounts';
import type groups from './messages/groups';
import type discussions from './messages/discussions';
import type chat from './messages/chat';
import type email from './messages/email';
import type notifications from './messages/notifications';
import type tasks from './messages/tasks';
import type shell from './messages/shell';
import type offline from './messages/offline';
import type decide from './messages/decide';

/*
 * What the browser needs of the translations without any of their text: the languages, the
 * typed keys, the translate function built over one language's dictionary, dates. The texts
 * stay in ./messages (all three languages, for the server) and reach the browser one language
 * at a time (./load.ts).
 */

export const locales = ['fr', 'nl', 'en'] as const;
export type Locale = (typeof locales)[number];
export const isLocale = (s: unknown): s is Locale => typeof s === 'string' && (locales as readonly string[]).includes(s);
export const localeNames: Record<Locale, string> = { fr: 'Français', nl: 'Nederlands', en: 'English' };

type Catalog = typeof common | typeof accounts | typeof groups | typeof discussions | typeof chat | typeof email | typeof notifications | typeof tasks | typeof shell | typeof offline | typeof decide;
type Keys<T> = T extends { en: Record<infer K, Msg> } ? K : never;
export type MessageKey = Keys<Catalog>;

/** One language's messages, keyed by message key. */
export type Dictionary = Record<string, Msg>;
export type Params = Record<string, string | number>;
export type T = (key: MessageKey | (string & {}), params?: Params) => string;

/**
 * Builds the translate function over one language's dictionary: `{param}` holes filled,
 * plural forms chosen by `count` with the language's rules, an unknown key shown as itself
 * (so a missing text is visible, never a blank).
 */
export function compileTranslator(locale: Locale, dict: Dictionary): T {
  const plural = new Intl.PluralRules(locale);
  return (key, params = {}) => {
    const m = dict[key];
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
