import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { locales, translator } from './index';

/** Every literal key used with t('…') in the sources exists in French, Dutch and English. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(svelte|ts)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('translations', () => {
  it('have every key the pages, mails and errors use, in fr, nl and en', () => {
    const used = new Map<string, string>();
    for (const file of sources(path.resolve('src'))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)'/g)) used.set(m[1], path.relative('src', file));
    }
    expect(used.size).toBeGreaterThan(200);
    const missing: string[] = [];
    for (const locale of locales) {
      const t = translator(locale);
      for (const [key, file] of used) if (t(key, { count: 2 }) === key) missing.push(`${locale} ${key} (${file})`);
    }
    expect(missing).toEqual([]);
  });
});
