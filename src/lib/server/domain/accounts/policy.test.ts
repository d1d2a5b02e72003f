import { describe, expect, it } from 'vitest';
import { can } from '../../policy';
import type { Actor } from '../../policy/actor';

const visitor: Actor = { kind: 'visitor' };
const member: Actor = { kind: 'user', userId: 'u1' as never, isAdmin: false, roles: new Map() };
const admin: Actor = { kind: 'user', userId: 'u2' as never, isAdmin: true, roles: new Map() };
const viaToken = (a: Actor, scope: 'read' | 'write' | 'admin'): Actor => ({ ...(a as Extract<Actor, { kind: 'user' }>), token: { scope } });

describe('account abilities', () => {
  // [who, actor, own account, sees members, manages accounts, association settings, outbox]
  const table: [string, Actor, boolean, boolean, boolean, boolean, boolean][] = [
    ['visitor', visitor, false, false, false, false, false],
    ['member', member, true, true, false, false, false],
    ['admin', admin, true, true, true, true, true],
  ];
  it.each(table)('%s', (_n, a, self, see, manage, settings, outbox) => {
    expect(can(a, 'account.self')).toBe(self);
    expect(can(a, 'user.see')).toBe(see);
    expect(can(a, 'user.manage')).toBe(manage);
    expect(can(a, 'instance.admin')).toBe(settings);
    expect(can(a, 'instance.outbox')).toBe(outbox);
  });
});

describe('abilities through a personal access token', () => {
  // [who, actor, administers the instance, creates tokens, creates admin tokens]
  const table: [string, Actor, boolean, boolean, boolean][] = [
    ['member session', member, false, true, false],
    ['admin session', admin, true, true, true],
    ['member read token', viaToken(member, 'read'), false, false, false],
    ['member write token', viaToken(member, 'write'), false, false, false],
    ['admin read token', viaToken(admin, 'read'), false, false, false],
    ['admin write token', viaToken(admin, 'write'), false, false, false],
    ['admin admin token', viaToken(admin, 'admin'), true, false, false],
    ['member "admin" token', viaToken(member, 'admin'), false, false, false],
  ];
  it.each(table)('%s', (_n, a, administers, tokens, adminTokens) => {
    for (const ability of ['instance.admin', 'instance.outbox', 'user.manage', 'group.create'] as const) expect(can(a, ability)).toBe(administers);
    expect(can(a, 'account.self')).toBe(true);
    expect(can(a, 'account.token.create')).toBe(tokens);
    expect(can(a, 'account.token.admin')).toBe(adminTokens);
  });
});
