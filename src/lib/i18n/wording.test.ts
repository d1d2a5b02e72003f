import { describe, expect, it } from 'vitest';
import type { Msg } from './define';
import common from './messages/common';
import accounts from './messages/accounts';
import groups from './messages/groups';
import discussions from './messages/discussions';
import chat from './messages/chat';
import email from './messages/email';
import notifications from './messages/notifications';
import offline from './messages/offline';
import decide from './messages/decide';

/** Every message of a language as [key, text], plural forms included. */
function texts(locale: 'fr' | 'nl' | 'en'): [string, string][] {
  return [common, accounts, groups, discussions, chat, email, notifications, offline, decide].flatMap((c) =>
    Object.entries(c[locale] as Record<string, Msg>).flatMap(([k, m]) => (typeof m === 'string' ? [[k, m] as [string, string]] : Object.entries(m).map(([form, s]) => [`${k}.${form}`, s] as [string, string]))),
  );
}

describe('wording of the dictionaries', () => {
  it('French: a no-break space before : ; ! ? and inside « », never an ordinary one nor none', () => {
    // A literal HTTP header keeps its own colon.
    const bad = texts('fr').filter(([, s]) => / [:;!?»]|« |[\p{L}\d)}»…][;!?»]|«[^\u00a0]|[\p{L})}…]:(?=\s|$)/u.test(s.replace('Authorization: Bearer', '')));
    expect(bad).toEqual([]);
  });

  it('Dutch: replies are "antwoorden", reactions (emoji) alone are "reacties"', () => {
    const en = new Map(texts('en'));
    const bad = texts('nl').filter(([k, s]) => /repl|comment|answer/i.test(en.get(k) ?? '') && !/react/i.test(en.get(k) ?? '') && /reacti|reageer/i.test(s));
    expect(bad).toEqual([]);
  });

  it('Dutch and English quote a name one way, “like this”', () => {
    for (const locale of ['nl', 'en'] as const) expect(texts(locale).filter(([, s]) => /‘\{|\}’|"\{/.test(s))).toEqual([]);
  });

  it('names a group chat after the group first, in every language', () => {
    for (const locale of ['fr', 'nl', 'en'] as const) expect(new Map(texts(locale)).get('chat.groupTitle')).toBe('{group} — chat');
    expect(texts('en').filter(([, s]) => /\bchat of\b/i.test(s))).toEqual([]);
  });
});
