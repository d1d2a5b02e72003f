import type { I18n } from '$lib/i18n/context';

type Line = { latest: { reason: string; summary: { key: string; params: Record<string, string | number> } } };

/**
 * What happened, for why it concerns me: `<key>.<reason>` when the dictionaries have it. The
 * key comes with the notification, from the server: page texts: notify.*
 */
export function inboxSummary(t: I18n['t'], e: Line): string {
  const k = `${e.latest.summary.key}.${e.latest.reason}`;
  const s = t(k, e.latest.summary.params);
  return s === k ? t(e.latest.summary.key, e.latest.summary.params) : s;
}
