import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { looksEmpty, normalizeText } from './text';
import { fields, parse } from './validate';
import { ClientFrame } from '../realtime/protocol';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { makeCircle } from '../../../../tests/support/discussions-factories';

const LONE = 'Budget \ud800 2027';
const ZERO_WIDTH = ['\u200b\u200b', '\u200c\u200d\u2060', '\ufeff', ' \u00ad \u034f ', '\u3164', '\u2800\u2800', '\u202e\u202c', '\u180e', '\ufe0f'];

describe('text normalisation', () => {
  it('makes text well-formed, then composes it', () => {
    expect(normalizeText(LONE)).toBe('Budget \ufffd 2027');
    expect(normalizeText('\udc00x\ud83d')).toBe('\ufffdx\ufffd');
    expect(normalizeText('Cafe\u0301')).toBe('Café');
    expect(normalizeText('👩‍👩‍👧 ok')).toBe('👩‍👩‍👧 ok');
  });

  it('sees invisible-only text as empty, and real text (even one emoji or a CJK letter) as not', () => {
    for (const s of ZERO_WIDTH) expect(looksEmpty(s), JSON.stringify(s)).toBe(true);
    for (const s of ['a', '👍', '中', ' x\u200b', 'ا', '\u0301e']) expect(looksEmpty(s), JSON.stringify(s)).toBe(false);
  });

  it('the shared fields refuse empty-looking titles and names with "blank", and count composed characters', () => {
    for (const s of ZERO_WIDTH) {
      expect(() => parse(fields.title, s)).toThrow();
      try {
        parse(fields.name, s);
      } catch (e) {
        expect((e as { issues: { code: string }[] }).issues[0].code).toMatch(/^(blank|required)$/);
      }
    }
    expect(parse(fields.title, '  Cafe\u0301  ')).toBe('Café');
    // 80 decomposed "é" are 160 code units, but 80 characters once composed.
    expect(parse(fields.name, 'e\u0301'.repeat(80))).toHaveLength(80);
  });

  it('WebSocket frames go through the same fields', () => {
    const f = ClientFrame.parse({ type: 'send', room: 'r', key: 'k', body: 'Cafe\u0301 \ud800' });
    expect(f).toMatchObject({ body: 'Café \ufffd' });
  });

  it('every text field of every input schema starts from the shared text() schema', () => {
    // A new `z.string()` would skip normalisation: only validate.ts (and the environment
    // parser, which reads no member input) may use it.
    const root = path.resolve('src/lib/server');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) {
          const src = fs.readFileSync(p, 'utf8');
          if (/\bz\s*\.\s*(string|uuid|email|url|guid|cuid|base64)\s*\(/.test(src) && !/kernel\/validate\.ts$|\/config\.ts$/.test(p)) offenders.push(path.relative(root, p));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

describe.each(engines)('text through the services on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'open');
  });
  afterEach(() => app.cleanup());

  const utf8Hex = async (table: 'discussions', column: 'title' | 'body', id: string) => {
    const expr = engine === 'sqlite' ? sql<string>`lower(hex(${sql.ref(column)}))` : sql<string>`encode(convert_to(${sql.ref(column)}, 'UTF8'), 'hex')`;
    const r = await app.db.selectFrom(table).select(expr.as('h')).where('id', '=', id).executeTakeFirstOrThrow();
    return r.h;
  };

  it('stores a lone surrogate as U+FFFD, never as invalid UTF-8, and text in NFC', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: LONE, body: 'Cafe\u0301 \udfff' });
    expect(d.title).toBe('Budget \ufffd 2027');
    expect(await utf8Hex('discussions', 'title', d.id)).toBe(Buffer.from('Budget \ufffd 2027', 'utf8').toString('hex'));
    expect(await utf8Hex('discussions', 'body', d.id)).toBe(Buffer.from('Café \ufffd', 'utf8').toString('hex'));
    // Search finds the composed form whichever way it was typed.
    const found = await app.discussions.search(c.anne.actor, { q: 'Cafe\u0301' });
    expect(found.hits.map((h) => h.discussionId)).toContain(d.id);
  });

  it('refuses a title, a group name, a reply and a chat message made only of invisible characters', async () => {
    await expect(app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: '\u200b\u200b', body: 'x' })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'title', code: 'blank' }] });
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Real', body: 'x' });
    await expect(app.discussions.reply(c.anne.actor, { discussionId: d.id, body: '\u2060\ufeff' })).rejects.toMatchObject({ issues: [{ path: 'body', code: 'blank' }] });
    const admin = await app.sessions.actorFor(c.admin.id);
    await expect(app.groups.create(admin, { name: '\u3164\u3164\u3164' })).rejects.toMatchObject({ issues: [{ path: 'name', code: 'blank' }] });
    const { room } = await app.chat.groupChat(c.anne.actor, { slug: c.g.slug });
    await expect(app.chat.send(c.anne.actor, { roomId: room.id, key: 'abcdefgh1', body: '\u200d\u200d' })).rejects.toMatchObject({ issues: [{ path: 'body', code: 'blank' }] });
    expect(await app.db.selectFrom('discussions').select('id').execute()).toHaveLength(1);
  });
});
