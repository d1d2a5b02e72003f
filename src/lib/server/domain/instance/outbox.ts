import fs from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { notFound } from '../../kernel/errors';
import { can, type Actor } from '../../policy';

export type OutboxItem = { id: string; to: string; subject: string; date: string | null };
/** A mail's text, cut into plain text and links so the page can make the links clickable. */
export type OutboxMessage = OutboxItem & { from: string; parts: ({ text: string } | { url: string })[] };

const LIST_MAX = 200;
const ID = /^[A-Za-z0-9._-]{1,200}$/;

const addresses = (a: AddressObject | AddressObject[] | undefined) => (a ? (Array.isArray(a) ? a : [a]).map((x) => x.text).join(', ') : '');

/** Splits text on http(s) links. */
export function linkParts(text: string): ({ text: string } | { url: string })[] {
  const out: ({ text: string } | { url: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index) });
    out.push({ url: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/**
 * The mail written to `<DATA_DIR>/mail/*.eml` when no SMTP server is configured, shown to
 * administrators: on a fresh machine, this is where login links can be read.
 */
export function createOutbox(mailDir: string) {
  function guard(actor: Actor) {
    if (!can(actor, 'instance.outbox')) notFound();
  }
  return {
    /** Newest first (by file time), at most 200, with To, Subject and Date. */
    async listOutbox(actor: Actor): Promise<OutboxItem[]> {
      guard(actor);
      let names: string[];
      try {
        names = (await fs.readdir(mailDir)).filter((n) => n.endsWith('.eml'));
      } catch {
        return [];
      }
      const stats = await Promise.all(names.map(async (n) => ({ n, t: (await fs.stat(path.join(mailDir, n))).mtimeMs })));
      stats.sort((a, b) => b.t - a.t || b.n.localeCompare(a.n));
      return Promise.all(
        stats.slice(0, LIST_MAX).map(async ({ n }) => {
          const m = await simpleParser(await fs.readFile(path.join(mailDir, n)));
          return { id: n.slice(0, -4), to: addresses(m.to), subject: m.subject ?? '', date: m.date?.toISOString() ?? null };
        }),
      );
    },

    /** One message: headers and its text part, with links separated out. */
    async readOutbox(actor: Actor, raw: { id?: unknown }): Promise<OutboxMessage> {
      guard(actor);
      const id = typeof raw?.id === 'string' ? raw.id : '';
      if (!ID.test(id)) return notFound();
      let buf: Buffer;
      try {
        buf = await fs.readFile(path.join(mailDir, `${id}.eml`));
      } catch {
        return notFound();
      }
      const m = await simpleParser(buf);
      return { id, to: addresses(m.to), from: addresses(m.from), subject: m.subject ?? '', date: m.date?.toISOString() ?? null, parts: linkParts(m.text ?? '') };
    },
  };
}
