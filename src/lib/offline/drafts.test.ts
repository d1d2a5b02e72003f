import { beforeEach, describe, expect, it } from 'vitest';
import { clearDraft, draftToRestore, forgetDrafts, readDraft, writeDraft } from './drafts';

/** A localStorage for node. */
class MemoryStorage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

beforeEach(() => {
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
});

describe('drafts on the device', () => {
  it('keeps, reads back and forgets a draft; all-empty fields remove it', () => {
    writeDraft('u1:comment:d1', { body: 'Half a sentence' }, new Date('2026-11-30T10:00:00Z'));
    expect(readDraft('u1:comment:d1')).toEqual({ fields: { body: 'Half a sentence' }, savedAt: '2026-11-30T10:00:00.000Z' });
    writeDraft('u1:comment:d1', { body: '  ' });
    expect(readDraft('u1:comment:d1')).toBeNull();
    writeDraft('u1:comment:d1', { body: 'again' });
    clearDraft('u1:comment:d1');
    expect(readDraft('u1:comment:d1')).toBeNull();
  });

  it('logging out forgets every draft and nothing else', () => {
    writeDraft('u1:a', { body: 'a' });
    writeDraft('u1:b', { title: 't', body: '' });
    localStorage.setItem('theme', 'dark');
    forgetDrafts();
    expect(readDraft('u1:a')).toBeNull();
    expect(readDraft('u1:b')).toBeNull();
    expect(localStorage.getItem('theme')).toBe('dark');
  });

  it('restores into empty fields, and over the server draft only when the device saved later', () => {
    const d = { fields: { title: 'Stand', body: 'Longer text typed offline' }, savedAt: '2026-11-30T10:05:00.000Z' };
    expect(draftToRestore(d, { title: '', body: '' }, null)).toEqual(d.fields);
    expect(draftToRestore(d, { title: 'Stand', body: 'Longer' }, '2026-11-30T10:00:00.000Z')).toEqual({ body: 'Longer text typed offline' });
    // Written later on another device: the server's draft stays.
    expect(draftToRestore(d, { title: 'Stand', body: 'Newer elsewhere' }, '2026-11-30T11:00:00.000Z')).toBeNull();
    expect(draftToRestore(d, d.fields, null)).toBeNull();
    expect(draftToRestore(null, { body: '' }, null)).toBeNull();
  });
});
