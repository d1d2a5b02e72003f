import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysNamedIn, routeFile } from './build';
import { messagesOf } from './index';
import { addMissingText, routeKeys } from './page-keys';

const keys = Object.keys(messagesOf('en'));
const known = new Set(keys);
const named = (source: string) => [...keysNamedIn(source, keys, known)].sort();

describe('the texts a module names', () => {
  it('reads string literals that are keys, in scripts and markup, and nothing else', () => {
    expect(named(`const a = t('nav.skip'); <p>{t("discussions.all_read")}</p> {\`nav.groups\`} 'not.a_key' 'image/png' "nav"`)).toEqual(['discussions.all_read', 'nav.groups', 'nav.skip']);
  });

  it('reads a template as every key it can produce', () => {
    const found = named('t(`tasks.priority.${p}`)');
    expect(found.length).toBeGreaterThan(2);
    expect(found.every((k) => k.startsWith('tasks.priority.'))).toBe(true);
    expect(named('t(`discussions.draft_${status}`)')).toEqual(keys.filter((k) => k.startsWith('discussions.draft_')).sort());
    // A template with no dotted prefix names nothing (it would name every key).
    expect(named('`m-${id}` `${a}.${b}`')).toEqual([]);
  });

  it('reads the keys that a note says come with the data', () => {
    const found = named('/** The key comes from the server: page texts: notify.* */');
    expect(found).toContain('notify.mentioned');
    expect(found.every((k) => k.startsWith('notify.'))).toBe(true);
  });
});

describe('the route files', () => {
  const routes = path.join('/app', 'src', 'routes');
  it('places pages, layouts, error pages and universal loads in their route directory', () => {
    expect(routeFile(path.join(routes, '+page.svelte'), routes)).toEqual(['/', 'page']);
    expect(routeFile(path.join(routes, '+layout.ts'), routes)).toEqual(['/', 'layout']);
    expect(routeFile(path.join(routes, 'd', '[id]', '+page.svelte'), routes)).toEqual(['/d/[id]', 'page']);
    expect(routeFile(path.join(routes, 'admin', '+error.svelte'), routes)).toEqual(['/admin', 'layout']);
    expect(routeFile(path.join(routes, '(app)', 'x', '+page@.svelte'), routes)).toEqual(['/(app)/x', 'page']);
  });
  it('leaves out server files and everything else', () => {
    expect(routeFile(path.join(routes, 'd', '[id]', '+page.server.ts'), routes)).toBeNull();
    expect(routeFile(path.join(routes, 'tasks', 'task-form.ts'), routes)).toBeNull();
    expect(routeFile(path.join('/app', 'src', 'lib', '+page.svelte'), routes)).toBeNull();
  });
});

describe('a route\'s texts', () => {
  const map = { '/': { layout: ['nav.skip'], page: ['home.title'] }, '/d': { layout: ['errors.not_found'] }, '/d/[id]': { page: ['discussions.all_read'] } };
  it('are its page\'s and those of every layout and error page above it', () => {
    expect(routeKeys(map, '/d/[id]').sort()).toEqual(['discussions.all_read', 'errors.not_found', 'nav.skip']);
    expect(routeKeys(map, '/').sort()).toEqual(['home.title', 'nav.skip']);
  });
  it('are the root layout\'s when no route matched', () => {
    expect(routeKeys(map, null)).toEqual(['nav.skip']);
  });
  it('grow, while the server renders, by a text the page shows beyond them, and only by one that exists', () => {
    const texts: Record<string, string> = { 'nav.skip': 'Skip' };
    addMissingText(texts, messagesOf('en'), 'notify.mentioned');
    addMissingText(texts, messagesOf('en'), 'no.such_key');
    addMissingText(texts, undefined, 'nav.groups');
    expect(Object.keys(texts).sort()).toEqual(['nav.skip', 'notify.mentioned']);
  });
});
