/**
 * Where a redirect built from request input may go: a path on this site, never another
 * one. Used by every redirect whose target comes from the request (`next` after login, the
 * language switch, magic links, invitations, chat and discussion actions…).
 *
 * The decision is made by the WHATWG URL parser, as a browser would make it: the value is
 * resolved against this site's origin and against unrelated probe origins (http and https),
 * and must stay on each. That rejects `//evil.example`, `/\evil.example`, `https:evil.example` (which the
 * parser treats as another host, or as relative only when the schemes match) and absolute
 * URLs. Control characters and backslashes are refused outright (browsers strip or
 * reinterpret them), in the raw value and in every percent-decoded form of it, so
 * `%2F%2Fevil.example` or `%5Cevil.example` cannot become an off-site target after a
 * decoding step somewhere else. The answer is the re-serialised path from the parser, never
 * the raw input, and a result that would start with `//` is refused too.
 */

// Unrelated origins of both schemes: a value that stays on each of them is a plain path.
const PROBES = ['http://probe.invalid', 'https://probe.invalid'];
const MAX_LENGTH = 2048;
// C0 controls, DEL, C1 controls, and the backslash.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;

/** The path (with query and fragment) `value` designates on `here`'s origin, or null when it is not one. */
export function sameOriginPath(value: unknown, here: URL | string): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return null;
  const origin = new URL(typeof here === 'string' ? here : here.href).origin;
  const forms = decodedForms(value);
  if (!forms) return null;
  for (const form of forms) for (const o of [origin, ...PROBES]) if (!staysOn(form, o)) return null;
  const u = new URL(value, origin + '/');
  return u.pathname + u.search + u.hash;
}

/** `sameOriginPath`, or `fallback` (default `/`) when the value is missing or points elsewhere. */
export function safeRedirect(value: unknown, here: URL | string, fallback = '/'): string {
  return sameOriginPath(value, here) ?? fallback;
}

/** The value and its successive percent-decodings (a few rounds); null when one is malformed or forbidden. */
function decodedForms(value: string): string[] | null {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms.some((f) => FORBIDDEN.test(f)) ? null : forms;
}

/** True when `value`, resolved against `origin`, is on that origin and not a network-path (`//host`) result. */
function staysOn(value: string, origin: string): boolean {
  let u: URL;
  try {
    u = new URL(value, origin + '/');
  } catch {
    return false;
  }
  return u.origin === origin && !u.pathname.startsWith('//');
}
