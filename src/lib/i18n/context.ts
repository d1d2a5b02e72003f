import { getContext, setContext } from 'svelte';
import { compileTranslator, formatDate, relativeTime, type Dictionary, type Locale, type T } from './core';
import { addMissingText } from './page-keys';
import { currentTime } from './clock.svelte';

const KEY = Symbol('i18n');
const cache = new WeakMap<Dictionary, T>();
function tFor(locale: Locale, dict: Dictionary): T {
  let t = cache.get(dict);
  if (!t) cache.set(dict, (t = compileTranslator(locale, dict)));
  return t;
}

export type I18n = { t: T; locale: () => Locale; date: (iso: string, style?: 'short' | 'long') => string; ago: (iso: string) => string };

/**
 * Called once by the root layout with getters, so a language change re-renders everything.
 * `messages` is the page's texts in the member's language (./page-texts.ts): the browser
 * never holds the other languages, nor the texts of other pages. On the server, `complete`
 * is the whole language, for a text the page renders beyond its own (./page-keys.ts).
 */
export function provideI18n(locale: () => Locale, timeZone: () => string, messages: () => Dictionary, complete?: () => Dictionary | undefined) {
  const i18n: I18n = {
    t: complete
      ? (k, p) => {
          const texts = messages();
          addMissingText(texts, complete(), k);
          return tFor(locale(), texts)(k, p);
        }
      : (k, p) => tFor(locale(), messages())(k, p),
    locale,
    date: (iso, style = 'short') => formatDate(iso, locale(), timeZone(), style),
    ago: (iso) => relativeTime(iso, locale(), timeZone(), currentTime()),
  };
  setContext(KEY, i18n);
  return i18n;
}

/** In any component: `const { t, date } = useI18n();` */
export const useI18n = () => getContext<I18n>(KEY);
