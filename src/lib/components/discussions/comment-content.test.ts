import { describe, expect, it } from 'vitest';
import { contentKey, Lru, withoutMarkers, type CommentContent } from './comment-content';

const c: CommentContent = {
  id: 'c1',
  author: { name: 'Ana', avatarFileId: null },
  createdAt: '2026-01-02T10:00:00.000Z',
  editedAt: null,
  bodyHtml: '<p>Bonjour</p>',
  files: [{ id: 'f1', name: 'a.png', size: 10, isImage: true, url: '/files/f1', previewUrl: null, width: null, height: null }],
};

describe('contentKey', () => {
  it('changes with everything the shared HTML shows, and only with that', () => {
    const k = contentKey(c, 'd1', 'fr', 'Europe/Brussels');
    expect(contentKey({ ...c, bodyHtml: '<p>ignored: an edit moves editedAt</p>' }, 'd1', 'fr', 'Europe/Brussels')).toBe(k);
    for (const other of [
      contentKey({ ...c, editedAt: '2026-01-03T10:00:00.000Z' }, 'd1', 'fr', 'Europe/Brussels'),
      contentKey(c, 'd1', 'nl', 'Europe/Brussels'),
      contentKey(c, 'd1', 'fr', 'UTC'),
      contentKey({ ...c, author: { name: 'Anna', avatarFileId: null } }, 'd1', 'fr', 'Europe/Brussels'),
      contentKey({ ...c, author: { name: 'Ana', avatarFileId: 'p1' } }, 'd1', 'fr', 'Europe/Brussels'),
      contentKey({ ...c, files: [{ ...c.files[0], previewUrl: '/files/f1/preview', width: 10, height: 5 }] }, 'd1', 'fr', 'Europe/Brussels'),
      contentKey({ ...c, files: [] }, 'd1', 'fr', 'Europe/Brussels'),
    ])
      expect(other).not.toBe(k);
  });
});

describe('withoutMarkers', () => {
  it("removes Svelte's hydration comments and keeps the content", () => {
    expect(withoutMarkers('<!--[--><div><!---->a<!--[!--><b>b</b><!--]--><!--[-1--><!--[0--></div><!--]-->')).toBe('<div>a<b>b</b></div>');
    expect(withoutMarkers('<p>a</p><!-- note -->')).toBe('<p>a</p><!-- note -->');
    expect(withoutMarkers('<p>&lt;!----&gt;</p>')).toBe('<p>&lt;!----&gt;</p>');
  });
});

describe('Lru', () => {
  it('keeps at most max entries, dropping the least recently used', () => {
    const l = new Lru<number>(2);
    l.set('a', 1);
    l.set('b', 2);
    expect(l.get('a')).toBe(1);
    l.set('c', 3);
    expect(l.get('b')).toBeUndefined();
    expect(l.get('a')).toBe(1);
    expect(l.get('c')).toBe(3);
    expect(l.size).toBe(2);
  });
});
