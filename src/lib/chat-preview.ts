/**
 * A chat message as a chat list shows it: its text on one line, cut at `PREVIEW_LENGTH`
 * characters (Markdown marks kept: a glimpse, not the message). One rule for the server (the
 * list as rendered) and the browser (the list moved live): no copy of it to drift.
 */
export const PREVIEW_LENGTH = 90;

export function glimpse(body: string): string {
  const t = body.replace(/\s+/g, ' ').trim();
  return t.length > PREVIEW_LENGTH ? `${t.slice(0, PREVIEW_LENGTH - 1)}…` : t;
}
