import { describe, expect, it } from 'vitest';
import { can } from './index';
import type { Actor } from './actor';
import type { GroupFacts, PollFacts, EventFacts } from './rules';

const g = (visibility: GroupFacts['visibility']): GroupFacts => ({ id: 'g1', visibility, parentId: null });
const visitor: Actor = { kind: 'visitor' };
const outsider: Actor = { kind: 'user', userId: 'u1' as never, isAdmin: false, roles: new Map() };
const member: Actor = { kind: 'user', userId: 'u2' as never, isAdmin: false, roles: new Map([['g1', 'member']]) };
const author: Actor = { kind: 'user', userId: 'u4' as never, isAdmin: false, roles: new Map([['g1', 'member']]) };
const groupAdmin: Actor = { kind: 'user', userId: 'u3' as never, isAdmin: false, roles: new Map([['g1', 'admin']]) };
const poll = (visibility: GroupFacts['visibility'], o: Partial<PollFacts> = {}): PollFacts => ({ group: g(visibility), authorId: 'u4', closed: false, deletedAt: null, ...o });
const event = (visibility: GroupFacts['visibility'], o: Partial<EventFacts> = {}): EventFacts => ({ group: g(visibility), authorId: 'u4', cancelled: false, ...o });

describe('deciding and meeting rules', () => {
  // [who, actor, visibility, reads, answers, manages]
  const table: [string, Actor, GroupFacts['visibility'], boolean, boolean, boolean][] = [
    ['visitor', visitor, 'open', true, false, false],
    ['visitor', visitor, 'closed', false, false, false],
    ['outsider', outsider, 'open', true, false, false],
    ['outsider', outsider, 'secret', false, false, false],
    ['member', member, 'closed', true, true, false],
    ['author', author, 'secret', true, true, true],
    ['group admin', groupAdmin, 'secret', true, true, true],
  ];
  it.each(table)('%s in a %s group', (_n, a, vis, reads, answers, manages) => {
    expect(can(a, 'poll.read', poll(vis))).toBe(reads);
    expect(can(a, 'poll.answer', poll(vis))).toBe(answers);
    expect(can(a, 'poll.manage', poll(vis))).toBe(manages);
    expect(can(a, 'poll.create', g(vis))).toBe(answers);
    expect(can(a, 'event.read', event(vis))).toBe(reads);
    expect(can(a, 'event.rsvp', event(vis))).toBe(answers);
    expect(can(a, 'event.manage', event(vis))).toBe(manages);
    expect(can(a, 'meeting.agenda', event(vis))).toBe(answers);
    expect(can(a, 'meeting.minutes', event(vis))).toBe(answers);
  });
  it('a closed poll takes no answers; a deleted one is read by nobody; a cancelled event takes no RSVP nor agenda item', () => {
    expect(can(member, 'poll.answer', poll('open', { closed: true }))).toBe(false);
    expect(can(groupAdmin, 'poll.manage', poll('open', { closed: true }))).toBe(true);
    expect(can(groupAdmin, 'poll.read', poll('open', { deletedAt: '2026-01-01' }))).toBe(false);
    expect(can(member, 'event.rsvp', event('open', { cancelled: true }))).toBe(false);
    expect(can(member, 'meeting.agenda', event('open', { cancelled: true }))).toBe(false);
    expect(can(member, 'meeting.minutes', event('open', { cancelled: true }))).toBe(true);
  });
  it('guests of date polls: the group’s admins decide; feeds: members', () => {
    expect(can(groupAdmin, 'group.guestPolls', g('closed'))).toBe(true);
    expect(can(member, 'group.guestPolls', g('closed'))).toBe(false);
    expect(can(member, 'calendar.feed')).toBe(true);
    expect(can(visitor, 'calendar.feed')).toBe(false);
  });
});
