import { describe, expect, it } from 'vitest';
import { compileTranslator, locales, messagesOf, translator } from './index';

/** The browser translates with one language's dictionary (messagesOf), the server with all three: both must say the same. */
describe('one language per page', () => {
  it('a language\'s dictionary translates every key as the server does, plural forms and parameters included', () => {
    for (const locale of locales) {
      const browser = compileTranslator(locale, messagesOf(locale));
      const server = translator(locale);
      const keys = Object.keys(messagesOf('en'));
      expect(Object.keys(messagesOf(locale)).sort()).toEqual(keys.sort());
      for (const key of keys) for (const count of [0, 1, 5]) expect(browser(key, { count, name: 'Anne', title: 'Flyers' })).toBe(server(key, { count, name: 'Anne', title: 'Flyers' }));
    }
  });

  it('is built once per language and shared, so the replies rendered with it reuse one translator', () => {
    expect(messagesOf('nl')).toBe(messagesOf('nl'));
    expect(Object.isFrozen(messagesOf('fr'))).toBe(true);
    expect(messagesOf('fr')['nav.skip']).toBe('Aller au contenu');
  });
});
