/**
 * Text as the association stores it. Every text field of every input schema passes through
 * `normalizeText` (see `text()` in validate.ts), whichever surface it came from: a page form,
 * the JSON API, a WebSocket frame or an inbound mail.
 */

/**
 * Well-formed, then composed (NFC). A lone UTF-16 surrogate (a JSON "\ud800", a truncated
 * emoji) cannot be encoded as UTF-8: it becomes U+FFFD instead of invalid bytes in the
 * database. NFC makes "é" typed on one keyboard equal to "é" typed on another, so search,
 * handles and duplicate checks see one text.
 */
export function normalizeText(s: string): string {
  return s.toWellFormed().normalize('NFC');
}

/**
 * Characters that show nothing on a page: white space, control and format characters
 * (zero-width space and joiners, bidi marks, soft hyphen, BOM), separators, default-ignorable
 * code points (variation selectors, Hangul fillers) and the blank Braille pattern.
 */
const INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** True when a text would look empty once shown: a title made of zero-width spaces, say. */
export function looksEmpty(s: string): boolean {
  return INVISIBLE.test(s);
}
