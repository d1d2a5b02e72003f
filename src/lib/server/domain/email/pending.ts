import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { isDomainError, notFound, invalid } from '../../kernel/errors';
import { newId, type UserId } from '../../kernel/ids';
import { enqueueJob, recordEvent, type MailMessage } from '../../kernel/outbox';
import { parse, text } from '../../kernel/validate';
import { can } from '../../policy';
import { isLocale, translator } from '../../../i18n';
import { parseMail } from '../../adapters/mail/parse';
import type { Sessions } from '../accounts/sessions';
import { findGroupById, groupFacts } from '../groups/group';
import type { InboundMail, InboundOutcome, MailContent, PostingPorts, TaskPorts } from './inbound';
import { renderMail } from './mail-render';
import { mailSecret, pendingToken, verifyPendingToken } from './tokens';

/** Where a posted held mail can be read, from its recorded outcome (`<discussion>[:<comment>]` or `task:<task>:<comment>`). */
function postedAt(p: string[]): { discussionId: string; commentId: string | null; url: string } {
  if (p[0] === 'task') return { discussionId: '', commentId: p[2] ?? null, url: `/tasks/${p[1]}${p[2] ? `#tc-${p[2]}` : ''}` };
  return { discussionId: p[0], commentId: p[1] ?? null, url: `/d/${p[0]}${p[1] ? `?comment=${p[1]}#c-${p[1]}` : ''}` };
}

/** A held mail waits this long for its member's confirmation, then is forgotten. */
export const HELD_DAYS = 7;
/** "Did you send this?" mails per member per hour: forged mail cannot flood a member's inbox. */
export const HELD_PER_HOUR = 5;

/** Where a held mail would go. */
export type HeldTarget = { kind: 'reply'; discussionId: string } | { kind: 'discussion'; groupId: string; title: string } | { kind: 'task_reply'; taskId: string };

/** A mail's attachments as files for the discussions service (forwarded messages and reports left out). */
export const attachmentsOf = (m: Pick<MailContent, 'attachments'>) =>
  m.attachments.filter((a) => !/^message\//i.test(a.contentType)).map((a) => new File([new Uint8Array(a.content)], a.filename || 'attachment', { type: a.contentType }));

const TokenInput = z.object({ token: text().max(100, 'link_unknown') });

/** What the confirmation page shows before anything is posted. */
export type HeldView = {
  state: 'valid' | 'used' | 'expired';
  kind: 'reply' | 'discussion';
  /** Where it would go, when the member may still see it. */
  group: string | null;
  discussion: string | null;
  title: string;
  body: string;
  subject: string;
  sender: string;
  receivedAt: string;
  files: { name: string; size: number }[];
  /** Once posted: where to read it. */
  posted: { discussionId: string; commentId: string | null; url: string } | null;
};

/**
 * Mail in a member's name that could not be authenticated (a sloppy mail server, or a
 * forgery): it is kept (the raw .eml under DATA_DIR/mail-held plus a row) and the member
 * gets "Did you send this?" at their registered address. The link opens a page that shows
 * what would be posted (GET never acts: mail scanners open links) and posts it, once,
 * through the same discussions service as any post, so the policy applies at that moment.
 */
export function createHeldMail(deps: Deps, ports: { discussions: PostingPorts; tasks?: TaskPorts; sessions: Sessions }) {
  const { db, clock, config } = deps;
  const dir = path.join(config.dataDir, 'mail-held');
  const secret = () => mailSecret(config.dataDir);
  const file = (name: string) => path.join(dir, path.basename(name));
  const forget = (name: string) => fs.rmSync(file(name), { force: true });

  async function rowOf(raw: unknown) {
    const { token } = parse(TokenInput, raw);
    const id = verifyPendingToken(secret(), token) ?? notFound();
    return (await db.selectFrom('emailPending').selectAll().where('id', '=', id).executeTakeFirst()) ?? notFound();
  }

  /** Where a held mail would go, named only as far as the member may read it. */
  async function placeOf(userId: string, target: { discussionId?: string | null; groupId?: string | null; taskId?: string | null }): Promise<{ group: string | null; discussion: string | null }> {
    const actor = await ports.sessions.actorFor(userId as UserId);
    if (target.taskId) {
      const t = ports.tasks ? await ports.tasks.get(actor, { taskId: target.taskId }).catch((e) => (isDomainError(e) ? null : Promise.reject(e))) : null;
      return t ? { group: t.group.name, discussion: t.title } : { group: null, discussion: null };
    }
    if (target.discussionId) {
      const d = await ports.discussions.get(actor, { discussionId: target.discussionId }).catch((e) => (isDomainError(e) ? null : Promise.reject(e)));
      return d ? { group: d.group.name, discussion: d.title } : { group: null, discussion: null };
    }
    const g = target.groupId ? await findGroupById(db, target.groupId) : null;
    return { group: g && can(actor, 'group.read', groupFacts(g)) ? g.name : null, discussion: null };
  }

  /** The "Did you send this?" mail, in the member's language; quotes only the subject. */
  async function confirmationMail(member: { id: string; email: string; locale: string }, id: string, target: HeldTarget, subject: string): Promise<MailMessage> {
    const locale = isLocale(member.locale) ? member.locale : 'fr';
    const t = translator(locale);
    const where = await placeOf(member.id, target.kind === 'reply' ? { discussionId: target.discussionId } : target.kind === 'task_reply' ? { taskId: target.taskId } : { groupId: target.groupId });
    const place = target.kind !== 'discussion' ? t('email.held.reply', { title: where.discussion ?? '…', group: where.group ?? '…' }) : t('email.held.discussion', { group: where.group ?? '…' });
    const url = `${config.baseUrl}/email/confirm/${pendingToken(secret(), id)}`;
    const { text, html } = renderMail({
      locale,
      title: t('email.held.heading'),
      blocks: [
        { kind: 'heading', text: t('email.held.heading') },
        { kind: 'para', text: place },
        { kind: 'para', text: t('email.held.subject_line', { subject }) },
        { kind: 'action', label: t('email.held.action'), url },
        { kind: 'para', text: t('email.held.ignore', { days: HELD_DAYS }) },
      ],
      footer: { text: t('email.held.footer'), links: [{ label: t('email.settings.title'), url: `${config.baseUrl}/profile/email` }] },
    });
    return {
      to: member.email,
      subject: t('email.held.subject', { subject }),
      text,
      html,
      messageId: `<held-${id}@${config.mailDomain}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    };
  }

  return {
    /** Keeps an unauthenticated mail and asks its member; called by the inbound service. */
    async hold(m: InboundMail, key: string, member: { id: string; email: string; locale: string }, target: HeldTarget, body: string): Promise<InboundOutcome> {
      const now = clock.now();
      const since = new Date(now.getTime() - 3600_000).toISOString();
      const recent = await db.selectFrom('emailPending').select((eb) => eb.fn.countAll<number>().as('n')).where('userId', '=', member.id).where('createdAt', '>', since).executeTakeFirstOrThrow();
      if (Number(recent.n) >= HELD_PER_HOUR) {
        await db.updateTable('emailInbound').set({ outcome: `unauthenticated:${m.auth.summary}`.slice(0, 300) }).where('messageKey', '=', key).execute();
        return { kind: 'ignored', reason: 'unauthenticated' };
      }
      const id = newId();
      const subject = m.subject.replace(/\s+/g, ' ').trim().slice(0, 120);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file(`${id}.eml`), m.raw, { mode: 0o600 });
      try {
        const mail = await confirmationMail(member, id, target, subject || '…');
        await inTx(deps, async (tx) => {
          await tx
            .insertInto('emailPending')
            .values({
              id,
              userId: member.id,
              kind: target.kind,
              discussionId: target.kind === 'reply' ? target.discussionId : null,
              taskId: target.kind === 'task_reply' ? target.taskId : null,
              groupId: target.kind === 'discussion' ? target.groupId : null,
              title: target.kind === 'discussion' ? target.title : '',
              body,
              subject,
              sender: m.from.toLowerCase(),
              auth: m.auth.summary.slice(0, 300),
              files: JSON.stringify(attachmentsOf(m).map((f) => ({ name: f.name, size: f.size }))),
              eml: `${id}.eml`,
              createdAt: now.toISOString(),
              expiresAt: new Date(now.getTime() + HELD_DAYS * 86_400_000).toISOString(),
              usedAt: null,
              outcome: null,
            })
            .execute();
          await enqueueJob(tx, 'mail.send', mail, now);
          await recordEvent(tx, { type: 'email.held', actorId: member.id, data: { pendingId: id, kind: target.kind } }, now);
          await tx.updateTable('emailInbound').set({ outcome: `held:${id}` }).where('messageKey', '=', key).execute();
        });
      } catch (e) {
        forget(`${id}.eml`);
        throw e;
      }
      return { kind: 'held', pendingId: id };
    },

    /** The confirmation page: what would be posted, where, and whether the link still works. Changes nothing. */
    async info(raw: unknown): Promise<HeldView> {
      const r = await rowOf(raw);
      const { group, discussion } = await placeOf(r.userId, r);
      const posted = r.outcome?.startsWith('posted:') ? r.outcome.slice('posted:'.length).split(':') : null;
      return {
        state: r.usedAt ? 'used' : r.expiresAt <= clock.now().toISOString() ? 'expired' : 'valid',
        kind: r.kind === 'discussion' ? 'discussion' : 'reply',
        group,
        discussion,
        title: r.title,
        body: r.body,
        subject: r.subject,
        sender: r.sender,
        receivedAt: r.createdAt,
        files: JSON.parse(r.files) as HeldView['files'],
        posted: posted ? postedAt(posted) : null,
      };
    },

    /**
     * Posts a held mail as its member (the page's button). Single use: the row is claimed
     * before posting, so two clicks cannot post twice; a refusal by the policy uses the link
     * up, an unexpected failure gives it back.
     */
    async confirm(raw: unknown): Promise<{ discussionId: string; commentId: string | null; url: string }> {
      const r = await rowOf(raw);
      const now = clock.now();
      if (r.usedAt) return invalid([], 'link_used');
      if (r.expiresAt <= now.toISOString()) return invalid([], 'link_expired');
      const claimed = await inTx(deps, async (tx) => {
        const u = await tx.updateTable('emailPending').set({ usedAt: now.toISOString() }).where('id', '=', r.id).where('usedAt', 'is', null).executeTakeFirst();
        if (Number(u.numUpdatedRows) !== 1) return false;
        await recordEvent(tx, { type: 'email.held_confirmed', actorId: r.userId, data: { pendingId: r.id } }, now);
        return true;
      });
      if (!claimed) return invalid([], 'link_used');
      const settle = (outcome: string | null) => db.updateTable('emailPending').set(outcome === null ? { usedAt: null } : { outcome }).where('id', '=', r.id).execute();
      try {
        const user = await db.selectFrom('users').select(['id', 'disabledAt']).where('id', '=', r.userId).executeTakeFirst();
        if (!user || user.disabledAt) notFound();
        const actor = await ports.sessions.actorFor(r.userId as UserId);
        const content = await parseMail(fs.readFileSync(file(r.eml)));
        let out: { discussionId: string; commentId: string | null; url: string };
        if (r.kind === 'task_reply') {
          if (!ports.tasks || !r.taskId) return notFound();
          const c = await ports.tasks.comment(actor, { taskId: r.taskId, body: r.body, files: attachmentsOf(content) });
          out = postedAt(['task', r.taskId, c.id]);
          await settle(`posted:task:${r.taskId}:${c.id}`);
          forget(r.eml);
          return out;
        }
        if (r.kind === 'reply') {
          const c = await ports.discussions.reply(actor, { discussionId: r.discussionId, body: r.body, files: attachmentsOf(content) });
          out = postedAt([r.discussionId!, c.id]);
        } else {
          const g = (await findGroupById(db, r.groupId ?? '')) ?? notFound();
          const d = await ports.discussions.create(actor, { groupSlug: g.slug, title: r.title, body: r.body, files: attachmentsOf(content) });
          out = postedAt([d.id]);
        }
        await settle(`posted:${out.discussionId}${out.commentId ? `:${out.commentId}` : ''}`);
        forget(r.eml);
        return out;
      } catch (e) {
        if (!isDomainError(e)) {
          await settle(null);
          throw e;
        }
        await settle(`refused:${e.code}`);
        forget(r.eml);
        throw e;
      }
    },

    /** Forgets held mail past its expiry (rows and files); the scheduler calls it every minute. */
    async purge(): Promise<number> {
      const rows = await db.selectFrom('emailPending').select(['id', 'eml']).where('expiresAt', '<', clock.now().toISOString()).limit(200).execute();
      if (!rows.length) return 0;
      for (const r of rows) forget(r.eml);
      await db.deleteFrom('emailPending').where('id', 'in', rows.map((r) => r.id)).execute();
      return rows.length;
    },
  };
}
