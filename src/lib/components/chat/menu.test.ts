import { describe, expect, it } from 'vitest';
import { menuHref } from './menu';

describe('the link of a message’s button without JavaScript', () => {
  it('opens that message’s menu on this page, keeping its window of messages, and scrolls to the message', () => {
    expect(menuHref(new URL('http://x/groups/a/chat'), 'M1', 'M1')).toBe('?actions=M1#m-M1');
    expect(menuHref(new URL('http://x/groups/a/chat?before=40&reply=Z'), 'M1', 'M1')).toBe('?before=40&actions=M1#m-M1');
  });
  it('closes it again (no menu), back to the page without the parameter', () => {
    expect(menuHref(new URL('http://x/groups/a/chat?actions=M1'), null, 'M1')).toBe('/groups/a/chat#m-M1');
    expect(menuHref(new URL('http://x/messages/r?after=3&actions=M1'), null, 'M1')).toBe('?after=3#m-M1');
  });
});
