import type { Dictionary, Locale } from './core';
import urls from 'virtual:ruche-messages/urls';

/*
 * The member's language, and only theirs, for the pages: the root layout's load awaits it
 * before the first render (on the server) and before hydration (in the browser), so `t()`
 * stays synchronous everywhere. Each language is its own file, cached by the browser and the
 * service worker like any other part of the app. The page names its language's file in its
 * head (`messagesFile`), so the browser has it by the time hydration asks.
 */

const importers: Record<Locale, () => Promise<{ default: Dictionary }>> = {
  fr: () => import('virtual:ruche-messages/fr'),
  nl: () => import('virtual:ruche-messages/nl'),
  en: () => import('virtual:ruche-messages/en'),
};

const loading = new Map<Locale, Promise<Dictionary>>();

/** The dictionary of one language, fetched once per page life (a failed fetch is retried next time). */
export function loadMessages(locale: Locale): Promise<Dictionary> {
  let p = loading.get(locale);
  if (!p) {
    p = importers[locale]().then((m) => m.default);
    p.catch(() => loading.delete(locale));
    loading.set(locale, p);
  }
  return p;
}

/** The address of a language's file, for a `modulepreload` in the page's head (none in development). */
export function messagesFile(locale: Locale): string | undefined {
  return urls[locale];
}
