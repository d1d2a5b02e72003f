import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { shellTitle } from './title';

const t = translator('en');

describe('the top bar title', () => {
  it('names the group of a group page, whether its data holds the group or holds it one level down', () => {
    expect(shellTitle('/groups/market/discussions', { group: { name: 'Market', slug: 'market' } }, null, 'Zinne', t)).toEqual({ title: 'Market', groupSlug: 'market' });
    expect(shellTitle('/groups/market/tasks', { board: { group: { name: 'Market', slug: 'market' } }, list: null }, null, 'Zinne', t)).toEqual({ title: 'Market', groupSlug: 'market' });
    expect(shellTitle('/groups/market/tasks', { view: 'list', list: { group: { name: 'Market', slug: 'market' } } }, null, 'Zinne', t)).toEqual({ title: 'Market', groupSlug: 'market' });
  });

  it('does not take another group found in the data for the page’s group', () => {
    expect(shellTitle('/groups/market/tasks', { board: { group: { name: 'Other', slug: 'other' } } }, null, 'Zinne', t)).toEqual({ title: 'Groups', groupSlug: null });
  });

  it('names the section outside groups', () => {
    expect(shellTitle('/tasks', {}, null, 'Zinne', t).title).toBe(t('shell.tasks'));
    expect(shellTitle('/', {}, null, 'Zinne', t).title).toBe('Zinne');
  });
});
