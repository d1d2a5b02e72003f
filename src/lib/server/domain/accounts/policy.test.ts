import { describe, expect, it } from 'vitest';
import { can } from '../../policy';
import type { Actor } from '../../policy/actor';

const visitor: Actor = { kind: 'visitor' };
const member: Actor = { kind: 'user', userId: 'u1' as never, isAdmin: false, roles: new Map() };
const admin: Actor = { kind: 'user', userId: 'u2' as never, isAdmin: true, roles: new Map() };

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
