import { describe, expect, it } from 'vitest';
import { backHref, destinationOf } from './nav';

describe('app shell navigation', () => {
  it('marks the destination a page belongs to', () => {
    expect(destinationOf('/')).toBe('home');
    expect(destinationOf('/groups')).toBe('groups');
    expect(destinationOf('/groups/market/discussions')).toBe('groups');
    expect(destinationOf('/d/abc')).toBe('groups');
    expect(destinationOf('/groups/market/chat')).toBe('chats');
    expect(destinationOf('/groups/chat')).toBe('groups'); // a group named "chat" is a group
    expect(destinationOf('/messages/r1')).toBe('chats');
    expect(destinationOf('/tasks')).toBe('tasks');
    expect(destinationOf('/profile/security')).toBe('me');
    expect(destinationOf('/profiles')).toBeNull();
    expect(destinationOf('/inbox')).toBeNull();
  });
  it('goes one level up without history, and nowhere from a destination', () => {
    expect(backHref('/')).toBeNull();
    expect(backHref('/groups')).toBeNull();
    expect(backHref('/messages/')).toBeNull();
    expect(backHref('/groups/market')).toBe('/groups');
    expect(backHref('/groups/market/chat')).toBe('/groups/market');
    expect(backHref('/messages/r1')).toBe('/messages');
    expect(backHref('/profile/security')).toBe('/profile');
    expect(backHref('/d/abc', 'market')).toBe('/groups/market/discussions');
    expect(backHref('/d/abc')).toBe('/groups');
    expect(backHref('/inbox')).toBe('/');
    expect(backHref('/u/anne')).toBe('/');
  });
});
