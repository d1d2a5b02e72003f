import { describe, expect, it } from 'vitest';
import { can } from './index';
import type { Actor } from './actor';
import type { GroupFacts } from './rules';

const g = (visibility: GroupFacts['visibility']): GroupFacts => ({ id: 'g1', visibility, parentId: null });
const visitor: Actor = { kind: 'visitor' };
const outsider: Actor = { kind: 'user', userId: 'u1' as never, isAdmin: false, roles: new Map() };
const member: Actor = { kind: 'user', userId: 'u2' as never, isAdmin: false, roles: new Map([['g1', 'member']]) };
const groupAdmin: Actor = { kind: 'user', userId: 'u3' as never, isAdmin: false, roles: new Map([['g1', 'admin']]) };

describe('group visibility rules', () => {
  // [actor, visibility, sees, reads, joins directly, requests to join, manages]
  const table: [string, Actor, GroupFacts['visibility'], boolean, boolean, boolean, boolean, boolean][] = [
    ['visitor', visitor, 'open', true, true, false, false, false],
    ['visitor', visitor, 'closed', true, false, false, false, false],
    ['visitor', visitor, 'secret', false, false, false, false, false],
    ['outsider', outsider, 'open', true, true, true, false, false],
    ['outsider', outsider, 'closed', true, false, false, true, false],
    ['outsider', outsider, 'secret', false, false, false, false, false],
    ['member', member, 'open', true, true, false, false, false],
    ['member', member, 'closed', true, true, false, false, false],
    ['member', member, 'secret', true, true, false, false, false],
    ['group admin', groupAdmin, 'secret', true, true, false, false, true],
  ];
  it.each(table)('%s in a %s group', (_n, a, vis, sees, reads, joins, requests, manages) => {
    expect(can(a, 'group.see', g(vis))).toBe(sees);
    expect(can(a, 'group.read', g(vis))).toBe(reads);
    expect(can(a, 'group.join', g(vis))).toBe(joins);
    expect(can(a, 'group.requestJoin', g(vis))).toBe(requests);
    expect(can(a, 'group.manage', g(vis))).toBe(manages);
    // links are content: exactly those who read the group
    expect(can(a, 'group.links', g(vis))).toBe(reads);
  });
});
