/**
 * HTML + text for the feature's mails (notifications, digests, bounces): one column, system
 * fonts, no fixed backgrounds, `color-scheme: light dark`, so they read well on phones and in
 * dark mode. Callers pass translated strings and already-sanitized HTML bodies.
 */
import { colon } from '../../adapters/mail/render';

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Makes the app's relative links (mentions, files) absolute, for a mail client. */
export const absolutize = (html: string, baseUrl: string) => html.replace(/(href|src)="\/(?!\/)/g, `$1="${baseUrl}/`);

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'meta'; text: string }
  | { kind: 'html'; html: string; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'item'; title: string; url: string; meta?: string }
  | { kind: 'action'; label: string; url: string }
  /** A row of buttons (one-click answers: yes / maybe / no). */
  | { kind: 'actions'; items: { label: string; url: string }[] };

export function renderMail(m: { locale: string; title: string; blocks: Block[]; footer: { text: string; links: { label: string; url: string }[] } }): { text: string; html: string } {
  const text: string[] = [];
  const html: string[] = [];
  for (const b of m.blocks) {
    if (b.kind === 'heading') {
      text.push(b.text, '='.repeat(Math.min(60, b.text.length)), '');
      html.push(`<h2 style="font-size:18px;margin:20px 0 8px">${esc(b.text)}</h2>`);
    } else if (b.kind === 'meta') {
      text.push(b.text, '');
      html.push(`<p style="margin:0 0 12px;font-size:14px;opacity:.75">${esc(b.text)}</p>`);
    } else if (b.kind === 'html') {
      text.push(b.text, '');
      html.push(`<div style="margin:0 0 16px;overflow-wrap:anywhere">${b.html}</div>`);
    } else if (b.kind === 'para') {
      text.push(b.text, '');
      html.push(`<p style="margin:0 0 12px">${esc(b.text)}</p>`);
    } else if (b.kind === 'item') {
      text.push(`- ${b.title}${b.meta ? ` (${b.meta})` : ''}`, `  ${b.url}`);
      html.push(`<p style="margin:0 0 10px"><a href="${esc(b.url)}" style="font-weight:600">${esc(b.title)}</a>${b.meta ? `<br><span style="font-size:14px;opacity:.75">${esc(b.meta)}</span>` : ''}</p>`);
    } else if (b.kind === 'actions') {
      for (const a of b.items) text.push(`${a.label}${colon(m.locale)} ${a.url}`);
      text.push('');
      html.push(`<p style="margin:16px 0">${b.items.map((a) => `<a href="${esc(a.url)}" style="display:inline-block;margin:0 8px 8px 0;border:2px solid #92400e;color:#92400e;padding:8px 16px;border-radius:8px;text-decoration:none;font-weight:600">${esc(a.label)}</a>`).join('')}</p>`);
    } else {
      text.push(`${b.label}${colon(m.locale)} ${b.url}`, '');
      html.push(`<p style="margin:16px 0"><a href="${esc(b.url)}" style="display:inline-block;background:#92400e;color:#ffffff;padding:10px 18px;border-radius:8px;text-decoration:none;font-weight:600">${esc(b.label)}</a></p>`);
    }
  }
  // A link whose label is its address is written once.
  text.push('-- ', m.footer.text, ...m.footer.links.map((l) => (l.label === l.url ? l.url : `${l.label}${colon(m.locale)} ${l.url}`)));
  const out = `<!doctype html><html lang="${esc(m.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${esc(m.title)}</title></head>
<body style="margin:0;padding:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5">
<div style="max-width:600px;margin:0 auto;padding:16px">
${html.join('\n')}
<hr style="border:0;border-top:1px solid #a8a29e;margin:24px 0 12px">
<p style="font-size:13px;margin:0;opacity:.8">${esc(m.footer.text)}<br>${m.footer.links.map((l) => `<a href="${esc(l.url)}">${esc(l.label)}</a>`).join(' · ')}</p>
</div></body></html>`;
  return { text: text.join('\n'), html: out };
}
