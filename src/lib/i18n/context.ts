import { getContext, setContext } from 'svelte';
import { formatDate, relativeTime, translator, type Locale, type T } from './index';

const KEY = Symbol('i18n');
const cache = new Map<Locale, T>();
const tFor = (l: Locale) => cache.get(l) ?? (cache.set(l, translator(l)), cache.get(l)!);

export type I18n = { t: T; locale: () => Locale; date: (iso: string, style?: 'short' | 'long') => string; ago: (iso: string) => string };

/** Called once by the root layout with getters, so a language change re-renders everything. */
export function provideI18n(locale: () => Locale, timeZone: () => string) {
  const i18n: I18n = {
    t: (k, p) => tFor(locale())(k, p),
    locale,
    date: (iso, style = 'short') => formatDate(iso, locale(), timeZone(), style),
    ago: (iso) => relativeTime(iso, locale(), timeZone()),
  };
  setContext(KEY, i18n);
  return i18n;
}

/** In any component: `const { t, date } = useI18n();` */
export const useI18n = () => getContext<I18n>(KEY);
