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
import { compileTranslator, locales, type Dictionary, type Locale, type T } from './core';

export * from './core';

/*
 * Every message in the three languages, for the server (pages, mails, errors, the command
 * line) and the tests. The browser never imports the texts from here: it loads its one
 * language through ./load.ts, built from messagesOf() below. Nothing runs at import time, so
 * a page that takes only `locales` from here does not carry the texts either.
 */
const catalogs = [common, accounts, groups, discussions, chat, email, notifications, tasks, shell, offline, decide];

let dicts: Record<Locale, Dictionary> | undefined;
function dictionaries(): Record<Locale, Dictionary> {
  if (!dicts) {
    dicts = { fr: {}, nl: {}, en: {} };
    for (const c of catalogs) for (const l of locales) Object.assign(dicts[l], c[l]);
  }
  return dicts;
}

const complete = new Map<Locale, Dictionary>();
/**
 * One language's complete dictionary as the browser gets it: its own texts over the English
 * ones, so a key that lacks a translation falls back to English there as it does here. Built
 * once per language and shared (frozen): the server renders replies with it on every page, and
 * translators are cached per dictionary object.
 */
export function messagesOf(locale: Locale): Dictionary {
  let m = complete.get(locale);
  if (!m) {
    const d = dictionaries();
    complete.set(locale, (m = Object.freeze(locale === 'en' ? { ...d.en } : { ...d.en, ...d[locale] })));
  }
  return m;
}

/**
 * Returns the translate function for a locale: the browser's own over the same complete
 * dictionary, so both translate alike. Unknown keys fall back to English, then to the key.
 */
const translators = new Map<Locale, T>();
export function translator(locale: Locale): T {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = compileTranslator(locale, messagesOf(locale))));
  return t;
}
