import { inTx, type Deps } from '../../kernel/deps';
import type { Actor } from '../../policy';
import { isDomainError } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { enqueueJob, recordEvent, type MailMessage } from '../../kernel/outbox';
import { isLocale, negotiateLocale, translator, type Locale } from '../../../i18n';
import type { Sessions } from '../accounts/sessions';
import type { MailAuth } from './auth';
import { attachmentsOf, createHeldMail } from './pending';
import { renderMail } from './mail-render';
import { replyBody } from './quotes';
import { mailSecret, parseBounceLocalPart, verifyReplyLocalPart, verifyRsvpLocalPart } from './tokens';
import { rsvpFromCalendar, rsvpFromText, type RsvpPort } from './rsvp';

/** A received message's content, as the mail parser read it (no transport types cross this line). */
export type MailContent = {
  from: string;
  subject: string;
  messageId: string | null;
  text: string | null;
  html: string | null;
  /** Header names lower-cased, values as text. */
  headers: Record<string, string>;
  /** Top-level Content-Type with parameters, e.g. "multipart/report; report-type=delivery-status". */
  contentType: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

/** A received mail for one envelope recipient, with what the SMTP session proved about its sender. */
export type InboundMail = MailContent & {
  /** Envelope sender (MAIL FROM); '' for the null sender of bounces. */
  envelopeFrom: string;
  /** The one envelope recipient this call handles. */
  recipient: string;
  /** SPF / DKIM / DMARC verdict (auth.ts): only authenticated mail posts as is. */
  auth: MailAuth;
  /** The message as received, kept when it waits for the member's confirmation. */
  raw: Buffer;
};

export type InboundOutcome =
  | { kind: 'posted'; discussionId: string; commentId?: string }
  | { kind: 'commented'; taskId: string; commentId: string }
  | { kind: 'rsvp'; answer: 'yes' | 'maybe' | 'no' }
  | { kind: 'held'; pendingId: string }
  | { kind: 'ignored'; reason: 'auto_reply' | 'duplicate' | 'loop' | 'report' | 'unauthenticated' }
  | { kind: 'bounce_recorded'; addresses: string[] }
  | { kind: 'bounced'; reason: BounceReason };

export type BounceReason = 'unknown_sender' | 'not_member' | 'unknown_address' | 'bad_token' | 'expired_token' | 'wrong_sender' | 'refused' | 'rate_limited' | 'rsvp_unclear';

/** Mails per sender per hour before the sender is slowed down. */
export const INBOUND_PER_HOUR = 30;

const OUT_OF_OFFICE = /^(auto(matic)?[ -]?(reply|response)|out of (the )?office|réponse automatique|message d['’]absence|absent\(e\)? du bureau|automatisch antwoord|afwezig(heids(bericht|melding))?|niet aanwezig)\b/i;

/** Auto-replies never post and never get an answer (RFC 3834, plus common vendor markers). */
export function isAutoReply(m: InboundMail): boolean {
  const h = m.headers;
  const auto = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (auto && auto !== 'no') return true;
  if (/^(bulk|auto_reply|list|junk)$/i.test((h['precedence'] ?? '').trim())) return true;
  if ('x-autoreply' in h || 'x-autorespond' in h || 'x-autoresponder' in h) return true;
  if (/^(oof|autoreply|auto-reply)$/i.test(h['x-auto-response-suppress'] ?? '') && OUT_OF_OFFICE.test(m.subject)) return true;
  return OUT_OF_OFFICE.test(m.subject.replace(/^\s*(re|fw|fwd|tr|antw)\s*:\s*/i, ''));
}

const isDsn = (m: InboundMail) => /^multipart\/report/i.test(m.contentType) && /report-type="?delivery-status/i.test(m.contentType);

/** Failed recipients of a delivery status notification (RFC 3464), with their status. */
export function failedRecipients(m: InboundMail): { address: string; reason: string }[] {
  const out: { address: string; reason: string }[] = [];
  // mailparser inlines the message/delivery-status part into the text; some parsers keep it apart.
  const sources = [...m.attachments.filter((a) => /^message\/(global-)?delivery-status/i.test(a.contentType)).map((a) => a.content.toString('utf8')), m.text ?? ''];
  const seen = new Set<string>();
  for (const src of sources) {
    const blocks = src.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/);
    for (const b of blocks) {
      const f = Object.fromEntries(b.split('\n').map((l) => l.split(/:\s*/)).filter((p) => p.length >= 2).map(([k, ...v]) => [k.toLowerCase(), v.join(': ').trim()]));
      const rcpt = (f['final-recipient'] ?? f['original-recipient'] ?? '').replace(/^rfc822;\s*/i, '').trim().toLowerCase();
      if (rcpt && !seen.has(rcpt) && (f['action'] ?? '').toLowerCase() === 'failed' && seen.add(rcpt)) out.push({ address: rcpt, reason: [f['status'], f['diagnostic-code']].filter(Boolean).join(' ').slice(0, 300) });
    }
  }
  return out;
}

/**
 * Who a mail counts against for the hourly limit: the From address when it is proven,
 * otherwise a separate "unverified" count, so forged mail in a member's name cannot use up
 * the member's own allowance and silence their real mail.
 */
const senderKey = (m: InboundMail, sender: string) => (m.auth.from && m.auth.fromAddress === sender ? sender : `unverified:${sender}`);

/**
 * How mail posts: the same functions the pages call (given by the composition root, so mail
 * never imports the features it posts into).
 */
export type PostingPorts = {
  reply(actor: Actor, raw: unknown): Promise<{ id: string }>;
  create(actor: Actor, raw: unknown): Promise<{ id: string }>;
  /** A discussion as the actor may see it; "not found" otherwise. */
  get(actor: Actor, raw: { discussionId: string }): Promise<{ title: string; group: { id: string; name: string } }>;
};

/** How a reply to a task's mail becomes a comment (given by the composition root: mail never imports tasks). */
export type TaskPorts = {
  comment(actor: Actor, raw: unknown): Promise<{ id: string }>;
  /** A task as the actor may see it; "not found" otherwise. */
  get(actor: Actor, raw: { taskId: string }): Promise<{ title: string; group: { id: string; name: string } }>;
};

export function createInbound(deps: Deps, ports: { discussions: PostingPorts; tasks?: TaskPorts; sessions: Sessions; rsvp?: RsvpPort }) {
  const { db, clock, config } = deps;
  const domain = config.mailDomain.toLowerCase();

  async function record(key: string, m: InboundMail, outcome: string) {
    await db.updateTable('emailInbound').set({ outcome }).where('messageKey', '=', key).execute();
  }

  /**
   * Explains a refusal to the sender, only when the envelope sender is authenticated (SPF
   * for its domain, or aligned with an authenticated From): a forged sender would turn the
   * explanation into backscatter to a stranger. Quotes nothing but the subject.
   */
  async function bounce(m: InboundMail, key: string, reason: BounceReason, knownLocale?: string): Promise<InboundOutcome> {
    const to = m.envelopeFrom.toLowerCase();
    // Never answer the null sender, an address of ours, anything automatic, or an unproven sender.
    if (!to || !m.auth.envelope || to.endsWith(`@${domain}`) || isAutoReply(m)) {
      await record(key, m, `bounce_suppressed:${reason}`);
      return { kind: 'bounced', reason };
    }
    const locale: Locale = isLocale(knownLocale) ? knownLocale : negotiateLocale(m.headers['content-language'] ?? m.headers['accept-language'], 'fr');
    const t = translator(locale);
    const { text, html } = renderMail({
      locale,
      title: t('email.bounce.heading'),
      blocks: [
        { kind: 'heading', text: t('email.bounce.heading') },
        { kind: 'para', text: t('email.bounce.hello') },
        { kind: 'para', text: t(`email.bounce.${reason}`) },
      ],
      footer: { text: t('email.bounce.footer'), links: [{ label: config.baseUrl, url: config.baseUrl }] },
    });
    const mail: MailMessage = {
      to,
      subject: t('email.bounce.subject', { subject: m.subject.replace(/\s+/g, ' ').slice(0, 120) || '…' }),
      text,
      html,
      messageId: `<bounce-${newId()}@${domain}>`,
      headers: { 'Auto-Submitted': 'auto-replied', ...(m.messageId ? { 'In-Reply-To': m.messageId, References: m.messageId } : {}) },
    };
    await inTx(deps, async (tx) => {
      await enqueueJob(tx, 'mail.send', mail, clock.now());
      await tx.updateTable('emailInbound').set({ outcome: `bounced:${reason}` }).where('messageKey', '=', key).execute();
    });
    return { kind: 'bounced', reason };
  }

  const files = attachmentsOf;
  const held = createHeldMail(deps, ports);

  /** Turns a domain refusal into the bounce that explains it. */
  async function refusal(e: unknown, m: InboundMail, key: string, locale: string, member: boolean): Promise<InboundOutcome> {
    if (!isDomainError(e)) throw e;
    if (e.kind === 'rate_limited') return bounce(m, key, 'rate_limited', locale);
    if (!member) return bounce(m, key, e.kind === 'not_found' ? 'unknown_address' : 'not_member', locale);
    return bounce(m, key, 'refused', locale);
  }

  return {
    /**
     * Handles one received mail for one recipient: a delivery report to a signed return path
     * marks that address as failing; auto-replies are dropped; a reply to a signed address
     * posts as that member and a mail to `<group-slug>@` starts a discussion, both through
     * the discussions service (so the policy applies), a reply to a task's mail comments on
     * the task through the tasks port, but only when the mail is
     * authenticated: otherwise it waits for the member's confirmation (pending.ts). Anything
     * else gets a polite bounce, if its sender is proven. A mail seen before (same
     * Message-ID and recipient) is not handled twice.
     */
    async receive(m: InboundMail): Promise<InboundOutcome> {
      const now = clock.now();
      const recipient = m.recipient.toLowerCase();
      const sender = m.from.toLowerCase();
      const key = `${m.messageId ?? newId()}|${recipient}`;
      const fresh = await db
        .insertInto('emailInbound')
        .values({ id: newId(), messageKey: key, sender: senderKey(m, sender), recipient, outcome: 'received', createdAt: now.toISOString() })
        .onConflict((oc) => oc.column('messageKey').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!fresh) return { kind: 'ignored', reason: 'duplicate' };
      try {
        return await handle(m, key, now, recipient, sender);
      } catch (e) {
        // Not handled: forget it, so the sender's server retries (the surface answers 451).
        await db.deleteFrom('emailInbound').where('messageKey', '=', key).execute();
        throw e;
      }
    },
    heldInfo: held.info,
    confirmHeld: held.confirm,
    purgeHeld: held.purge,
  };

  /**
   * A delivery report is believed only at a return path we signed for the address it was
   * sent to (send.ts): then that address is marked as failing, and mail to it stops until
   * its owner confirms it. Reports to any other address change nothing.
   */
  async function deliveryReport(m: InboundMail, key: string, local: string, now: Date): Promise<InboundOutcome> {
    const token = parseBounceLocalPart(mailSecret(config.dataDir), local, now);
    const failed = isDsn(m) ? failedRecipients(m) : [];
    const user = token?.userId && !token.expired ? await db.selectFrom('users').select(['id', 'email']).where('id', '=', token.userId).executeTakeFirst() : undefined;
    if (!user || !token!.check(user.email) || failed.length === 0) {
      await record(key, m, token ? 'report_ignored' : 'report_forged');
      return { kind: 'ignored', reason: 'report' };
    }
    const reason = (failed.find((f) => f.address === user.email) ?? failed[0]).reason || 'bounced';
    await inTx(deps, async (tx) => {
      await tx.updateTable('users').set({ mailFailingAt: now.toISOString(), mailFailingReason: reason }).where('id', '=', user.id).execute();
      await recordEvent(tx, { type: 'email.address_failed', actorId: user.id, data: { reason } }, now);
      await tx.updateTable('emailInbound').set({ outcome: 'dsn' }).where('messageKey', '=', key).execute();
    });
    return { kind: 'bounce_recorded', addresses: [user.email] };
  }

  /** A calendar client's REPLY: the event by its UID, the member by the mail's proven From. */
  async function rsvpByCalendar(m: InboundMail, key: string, sender: string, reply: NonNullable<ReturnType<typeof rsvpFromCalendar>>): Promise<InboundOutcome> {
    const user = await db.selectFrom('users').select(['id', 'locale', 'disabledAt']).where('email', '=', sender).executeTakeFirst();
    if (!user || user.disabledAt || !(m.auth.from && m.auth.fromAddress === sender)) {
      await record(key, m, 'rsvp_unauthenticated');
      return { kind: 'ignored', reason: 'unauthenticated' };
    }
    try {
      await ports.rsvp!.byUid(await ports.sessions.actorFor(user.id as never), reply);
      await record(key, m, `rsvp:${reply.answer}`);
      return { kind: 'rsvp', answer: reply.answer };
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await record(key, m, `rsvp_refused:${e.code}`);
      return { kind: 'ignored', reason: 'unauthenticated' };
    }
  }

  async function handle(m: InboundMail, key: string, now: Date, recipient: string, sender: string): Promise<InboundOutcome> {

      const [local, host] = recipient.split('@');
      if (host === domain && local?.startsWith('bounce+')) return deliveryReport(m, key, local, now);
      if (isDsn(m)) {
        // A report that does not come back to a signed return path proves nothing: anyone can write one.
        await record(key, m, 'report_unsigned');
        return { kind: 'ignored', reason: 'report' };
      }
      // A calendar client's answer to an invitation (it may look automatic): an RSVP, from its proven sender only.
      const calendarReply = host === domain ? rsvpFromCalendar(m) : null;
      if (calendarReply && ports.rsvp) return rsvpByCalendar(m, key, sender, calendarReply);
      if (isAutoReply(m) || !m.envelopeFrom) {
        await record(key, m, 'auto_reply');
        return { kind: 'ignored', reason: 'auto_reply' };
      }
      if (sender.endsWith(`@${domain}`)) {
        await record(key, m, 'loop');
        return { kind: 'ignored', reason: 'loop' };
      }
      const since = new Date(now.getTime() - 3600_000).toISOString();
      const recent = await db.selectFrom('emailInbound').select((eb) => eb.fn.countAll<number>().as('n')).where('sender', '=', senderKey(m, sender)).where('createdAt', '>', since).executeTakeFirstOrThrow();
      const user = await db.selectFrom('users').select(['id', 'email', 'locale', 'disabledAt']).where('email', '=', sender).executeTakeFirst();
      if (Number(recent.n) > INBOUND_PER_HOUR) {
        // One explanation when the limit is crossed, then silence (no bounce storms).
        if (Number(recent.n) === INBOUND_PER_HOUR + 1) return bounce(m, key, 'rate_limited', user?.locale);
        await record(key, m, 'rate_limited');
        return { kind: 'bounced', reason: 'rate_limited' };
      }

      if (host !== domain || !local) return bounce(m, key, 'unknown_address', user?.locale);
      // Posting in a member's name needs proof that the mail comes from their mail server.
      const authenticated = m.auth.from && m.auth.fromAddress === sender;

      if (local.startsWith('e+') && ports.rsvp) {
        const token = verifyRsvpLocalPart(mailSecret(config.dataDir), local, now);
        if (!token || !token.ok) return bounce(m, key, token?.ok === false && token.reason === 'expired' ? 'expired_token' : 'bad_token', user?.locale);
        const owner = await db.selectFrom('users').select(['id', 'email', 'locale', 'disabledAt']).where('id', '=', token.userId).executeTakeFirst();
        if (!owner || owner.disabledAt) return bounce(m, key, 'bad_token', user?.locale);
        if (owner.email !== sender) return bounce(m, key, 'wrong_sender', user?.locale ?? owner.locale);
        // Answering in a member's name needs proof too; the invitation's own buttons work without it.
        if (!authenticated) {
          await record(key, m, 'rsvp_unauthenticated');
          return { kind: 'ignored', reason: 'unauthenticated' };
        }
        const answer = rsvpFromCalendar(m)?.answer ?? rsvpFromText(m);
        if (!answer) return bounce(m, key, 'rsvp_unclear', owner.locale);
        try {
          await ports.rsvp.byEvent(await ports.sessions.actorFor(owner.id as never), { eventId: token.eventId, answer });
          await record(key, m, `rsvp:${answer}`);
          return { kind: 'rsvp', answer };
        } catch (e) {
          return refusal(e, m, key, owner.locale, true);
        }
      }

      if (local.startsWith('r+')) {
        const token = verifyReplyLocalPart(mailSecret(config.dataDir), local, now);
        if (!token) return bounce(m, key, 'bad_token', user?.locale);
        if (!token.ok) return bounce(m, key, token.reason === 'expired' ? 'expired_token' : 'bad_token', user?.locale);
        const owner = await db.selectFrom('users').select(['id', 'email', 'locale', 'disabledAt']).where('id', '=', token.userId).executeTakeFirst();
        if (!owner || owner.disabledAt) return bounce(m, key, 'bad_token', user?.locale);
        if (owner.email !== sender) return bounce(m, key, 'wrong_sender', user?.locale ?? owner.locale);
        const actor = await ports.sessions.actorFor(owner.id as never);
        const body = replyBody(m);
        if (!body) return bounce(m, key, 'refused', owner.locale);
        if (token.kind === 'task') {
          const tasks = ports.tasks;
          if (!tasks) return bounce(m, key, 'unknown_address', owner.locale);
          if (!authenticated) return held.hold(m, key, owner, { kind: 'task_reply', taskId: token.targetId }, body);
          try {
            const c = await tasks.comment(actor, { taskId: token.targetId, body, files: files(m) });
            await record(key, m, `commented:${c.id}`);
            return { kind: 'commented', taskId: token.targetId, commentId: c.id };
          } catch (e) {
            const t = await tasks.get(actor, { taskId: token.targetId }).catch(() => null);
            return refusal(e, m, key, owner.locale, Boolean(t && actor.kind === 'user' && actor.roles.has(t.group.id)));
          }
        }
        if (!authenticated) return held.hold(m, key, owner, { kind: 'reply', discussionId: token.discussionId }, body);
        try {
          const c = await ports.discussions.reply(actor, { discussionId: token.discussionId, body, files: files(m) });
          await record(key, m, `posted:${c.id}`);
          return { kind: 'posted', discussionId: token.discussionId, commentId: c.id };
        } catch (e) {
          const d = await ports.discussions.get(actor, { discussionId: token.discussionId }).catch(() => null);
          return refusal(e, m, key, owner.locale, Boolean(d && actor.kind === 'user' && actor.roles.has(d.group.id)));
        }
      }

      const group = await db.selectFrom('groups').select(['id', 'slug', 'visibility']).where('slug', '=', local).executeTakeFirst();
      if (!group) return bounce(m, key, 'unknown_address', user?.locale);
      if (!user || user.disabledAt) return bounce(m, key, group.visibility === 'secret' ? 'unknown_address' : 'unknown_sender', user?.locale);
      const actor = await ports.sessions.actorFor(user.id as never);
      const member = actor.kind === 'user' && actor.roles.has(group.id);
      if (!member) return bounce(m, key, group.visibility === 'secret' ? 'unknown_address' : 'not_member', user.locale);
      const body = replyBody(m) || m.subject;
      const title = (m.subject.replace(/^\s*((fwd?|tr|fw)\s*:\s*)+/i, '').trim() || body.split('\n')[0]).slice(0, 200);
      if (!authenticated) return held.hold(m, key, user, { kind: 'discussion', groupId: group.id, title }, body);
      try {
        const d = await ports.discussions.create(actor, { groupSlug: group.slug, title, body, files: files(m) });
        await record(key, m, `posted:${d.id}`);
        return { kind: 'posted', discussionId: d.id };
      } catch (e) {
        return refusal(e, m, key, user.locale, true);
      }
  }
}
