import { describe, expect, it } from 'vitest';
import { safeRedirect, sameOriginPath } from './redirect';

const here = new URL('http://localhost:3000/login?next=x');
const secure = 'https://ruche.example.org';

describe('same-origin redirect targets', () => {
  // Hostile or malformed values: each falls back to "/".
  const hostile: [string, unknown][] = [
    ['network-path', '//evil.example'],
    ['network-path with path', '//evil.example/login'],
    ['three slashes', '///evil.example'],
    ['backslash after slash', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['backslash inside', '/ok\\..\\evil'],
    ['scheme-relative https', 'https:evil.example'],
    ['scheme-relative http', 'http:evil.example'],
    ['scheme-relative with slash', 'http:/evil.example'],
    ['upper-case scheme', 'HTTPS:evil.example'],
    ['absolute other origin', 'https://evil.example/'],
    ['absolute same host other port', 'http://localhost:4000/'],
    ['absolute same origin (a path is expected)', 'http://localhost:3000/profile'],
    ['userinfo trick', 'http://localhost:3000@evil.example/'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['tab inside //', '/\t/evil.example'],
    ['newline inside //', '/\n/evil.example'],
    ['carriage return header split', '/ok\r\nSet-Cookie: x=1'],
    ['NUL', '/ok\u0000'],
    ['C1 control', '/ok\u0085'],
    ['dot segment to //', '/.//evil.example'],
    ['dot-dot segment to //', '/a/..//evil.example'],
    ['encoded slashes', '%2F%2Fevil.example'],
    ['encoded slashes after slash', '/%2F/evil.example'],
    ['encoded backslash', '/%5Cevil.example'],
    ['double-encoded slashes', '%252F%252Fevil.example'],
    ['double-encoded backslash', '/%255Cevil.example'],
    ['encoded newline', '/ok%0d%0aLocation:%20//evil.example'],
    ['encoded tab in //', '/%09/evil.example'],
    ['malformed escape', '/%E0%A4%A'],
    ['leading spaces then //', '  //evil.example'],
    ['empty', ''],
    ['not a string', 42],
    ['array', ['/ok']],
    ['null', null],
    ['too long', '/' + 'a'.repeat(3000)],
  ];
  it.each(hostile)('refuses %s', (_name, value) => {
    expect(sameOriginPath(value, here)).toBeNull();
    expect(safeRedirect(value, here)).toBe('/');
    expect(sameOriginPath(value, secure)).toBeNull();
  });

  const fine: [string, string, string][] = [
    ['root', '/', '/'],
    ['path', '/profile', '/profile'],
    ['query and fragment', '/d/123?comment=4#c-4', '/d/123?comment=4#c-4'],
    ['encoded query', '/search?q=caf%C3%A9%20bio', '/search?q=caf%C3%A9%20bio'],
    ['relative name', 'profile', '/profile'],
    ['query only', '?page=2', '/?page=2'],
    ['dot segments stay on site', '/groups/../profile', '/profile'],
    ['unicode path is encoded', '/groupes/événements', '/groupes/%C3%A9v%C3%A9nements'],
  ];
  it.each(fine)('keeps %s', (_name, value, expected) => {
    expect(sameOriginPath(value, here)).toBe(expected);
    expect(sameOriginPath(value, secure)).toBe(expected);
  });

  it('falls back to the given path', () => {
    expect(safeRedirect('//evil.example', here, '/groups')).toBe('/groups');
    expect(safeRedirect(undefined, here, '/groups')).toBe('/groups');
  });
});
