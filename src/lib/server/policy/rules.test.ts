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

describe('task rules', () => {
  const admin: Actor = { kind: 'user', userId: 'u9' as never, isAdmin: true, roles: new Map() };
  const adminReadToken: Actor = { ...admin, token: { scope: 'read' } } as Actor;
  const task = (visibility: GroupFacts['visibility'], o: { authorId?: string; deletedAt?: string | null } = {}) => ({ group: g(visibility), authorId: o.authorId ?? 'u3', deletedAt: o.deletedAt ?? null });
  // [actor, visibility, reads, creates and edits, deletes (author u3 is the group admin here), manages columns, manages labels]
  const table: [string, Actor, GroupFacts['visibility'], boolean, boolean, boolean, boolean, boolean][] = [
    ['visitor', visitor, 'open', true, false, false, false, false],
    ['visitor', visitor, 'closed', false, false, false, false, false],
    ['outsider', outsider, 'open', true, false, false, false, false],
    ['outsider', outsider, 'secret', false, false, false, false, false],
    ['member', member, 'closed', true, true, false, false, true],
    ['group admin', groupAdmin, 'secret', true, true, true, true, true],
    ['instance admin', admin, 'secret', true, false, true, true, false],
    ['instance admin with a read token', adminReadToken, 'secret', false, false, false, false, false],
  ];
  it.each(table)('%s in a %s group', (_n, a, vis, reads, edits, deletes, columns, labels) => {
    expect(can(a, 'task.read', task(vis))).toBe(reads);
    expect(can(a, 'task.create', g(vis))).toBe(edits);
    expect(can(a, 'task.edit', task(vis))).toBe(edits);
    expect(can(a, 'task.delete', task(vis))).toBe(deletes);
    expect(can(a, 'task.columns', g(vis))).toBe(columns);
    expect(can(a, 'task.labels', g(vis))).toBe(labels);
  });
  it('the author deletes their own task; nobody edits or deletes a deleted one', () => {
    expect(can(member, 'task.delete', task('closed', { authorId: 'u2' }))).toBe(true);
    expect(can(member, 'task.edit', task('closed', { deletedAt: '2026-01-01' }))).toBe(false);
    expect(can(groupAdmin, 'task.delete', task('closed', { deletedAt: '2026-01-01' }))).toBe(false);
    expect(can(member, 'task.commentDelete', { task: task('closed'), authorId: 'u2', deletedAt: null })).toBe(true);
    expect(can(member, 'task.commentDelete', { task: task('closed'), authorId: 'u3', deletedAt: null })).toBe(false);
    expect(can(groupAdmin, 'task.commentDelete', { task: task('closed'), authorId: 'u2', deletedAt: null })).toBe(true);
  });
});
