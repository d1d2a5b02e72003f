/**
 * Renders a simple transactional mail (magic link, reset, invitation) as plain text and
 * phone-friendly HTML that also reads well in dark mode. Callers pass translated strings.
 */
export type SimpleMail = {
  locale: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Short lines in other languages after the action, each marked with its language. */
  asides?: { lang: string; text: string }[];
  footer?: string;
};

/**
 * A colon that ends a label, as the language writes it: French puts a no-break space before
 * it ("Accepter l’invitation :"), so the colon never starts a line on its own.
 */
export const colon = (locale: string) => (locale === 'fr' ? '\u00a0:' : ':');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderSimpleMail(m: SimpleMail): { text: string; html: string } {
  const text = [
    m.heading,
    '',
    ...m.paragraphs.flatMap((p) => [p, '']),
    ...(m.action ? [`${m.action.label}${colon(m.locale)}`, m.action.url, ''] : []),
    ...(m.asides ?? []).flatMap((a) => [a.text, '']),
    ...(m.footer ? ['--', m.footer] : []),
  ].join('\n');
  const html = `<!doctype html><html lang="${esc(m.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${esc(m.heading)}</title></head>
<body style="margin:0;padding:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5">
<div style="max-width:560px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 12px">${esc(m.heading)}</h1>
${m.paragraphs.map((p) => `<p style="margin:0 0 12px">${esc(p)}</p>`).join('\n')}
${m.action ? `<p style="margin:20px 0"><a href="${esc(m.action.url)}" style="display:inline-block;background:#92400e;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600">${esc(m.action.label)}</a></p><p style="font-size:13px;word-break:break-all;margin:0 0 12px">${esc(m.action.url)}</p>` : ''}
${(m.asides ?? []).map((a) => `<p lang="${esc(a.lang)}" style="font-size:14px;margin:0 0 8px;opacity:.85">${esc(a.text)}</p>`).join('\n')}
${m.footer ? `<hr style="border:0;border-top:1px solid #d6d3d1;margin:20px 0"><p style="font-size:13px;margin:0">${esc(m.footer)}</p>` : ''}
</div></body></html>`;
  return { text, html };
}
