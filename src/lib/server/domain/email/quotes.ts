/**
 * Keeps only what a member wrote in a reply: cuts the quoted message and the signature, in
 * the formats of Gmail, Outlook, Thunderbird and Apple Mail, in English, French and Dutch.
 * Fixtures in tests/fixtures/mail show what each client produces.
 */

/** Attribution lines: "On … wrote:", "Le … a écrit :", "Op … schreef …:", "Op … heeft … het volgende geschreven:". */
const ATTRIBUTION = [
  /^>?\s*On\b.{4,}\bwrote\s*:\s*$/i,
  /^>?\s*Le\b.{4,}\ba\s+écrit\s*:\s*$/i,
  /^>?\s*Op\b.{4,}\b(schreef|geschreven)\b.*:\s*$/i,
];
const SEPARATOR = [
  /^-{3,}\s*(Original Message|Message d'origine|Message d’origine|Oorspronkelijk bericht|Origineel bericht|Forwarded message|Message transféré|Doorgestuurd bericht)\s*-{3,}\s*$/i,
  /^_{20,}\s*$/,
];
const SIGNATURE = [
  /^--\s?$/,
  /^(Sent from my|Envoyé de mon|Envoyé depuis mon|Verzonden vanaf mijn|Verstuurd vanaf mijn|Verzonden met|Sent from Outlook|Obtenir Outlook|Download Outlook|Télécharger Outlook|Outlook voor)\b/i,
];
/** Outlook's header block: "From:/De :/Van:" followed by "Sent:/Envoyé :/Verzonden:/Date:". */
const HEADER_FROM = /^\*?(From|De|Van)\s?:\*?\s/i;
const HEADER_SENT = /^\*?(Sent|Envoyé|Verzonden|Date|Datum)\s?:\*?\s/i;

/** Cuts HTML at the quote containers clients insert, before turning it into text. */
export function htmlToReplyText(html: string): string {
  const markers = [/<div[^>]+class="?gmail_quote/i, /<blockquote/i, /<div[^>]+id="?divRplyFwdMsg/i, /<div[^>]+id="?appendonsend/i, /<div[^>]+class="?moz-cite-prefix/i, /<hr[^>]+id="?stopSpelling/i];
  let cut = html.length;
  for (const m of markers) {
    const i = html.search(m);
    if (i >= 0 && i < cut) cut = i;
  }
  return htmlText(html.slice(0, cut));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
/** A small HTML-to-text: block ends become line breaks, tags go, entities are decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(div|p|li|h[1-6]|tr|blockquote)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function stripReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    const two = `${line} ${(lines[i + 1] ?? '').trim()}`;
    if (ATTRIBUTION.some((r) => r.test(line)) || (!line.startsWith('>') && line.length > 10 && ATTRIBUTION.some((r) => r.test(two)))) {
      end = i;
      break;
    }
    if (SEPARATOR.some((r) => r.test(line)) || SIGNATURE.some((r) => r.test(line))) {
      end = i;
      break;
    }
    if (HEADER_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => HEADER_SENT.test(l.trim()))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !/^>/.test(l));
  return kept.join('\n').replace(/\u00a0/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
}

/** The member's own words from a parsed mail: the text part, or the HTML part when alone. */
export function replyBody(mail: { text?: string | null; html?: string | null }): string {
  const text = mail.text && mail.text.trim() ? mail.text : mail.html ? htmlToReplyText(mail.html) : '';
  return stripReply(text);
}
