import type { Tx } from '../../db/connect';
import type { EmailLevel, Role } from '../../db/schema';
import type { Deps } from '../../kernel/deps';
import { newId, type UserId } from '../../kernel/ids';
import type { MailMessage } from '../../kernel/outbox';
import { can, type Actor } from '../../policy';
import { isLocale, translator } from '../../../i18n';
import { discussionFacts, type DiscussionRow } from '../discussions/discussions.repo';
import { absolutize, renderMail } from './mail-render';
import { DEFAULT_LEVEL } from './prefs';
import { mailSecret, replyLocalPart, unsubscribeToken } from './tokens';

export type NotifyInput = {
  discussion: DiscussionRow;
  /** The new comment, or null for a new discussion. */
  commentId: string | null;
  authorId: string;
  /** Markdown source (the text part) and its sanitized HTML. */
  body: string;
  bodyHtml: string;
  mentioned: string[];
};

/** Stable ids: one per discussion (the thread root) and one per comment, the same on every retry. */
export const discussionMessageId = (id: string, domain: string) => `<d-${id}@${domain}>`;
export const commentMessageId = (id: string, domain: string) => `<c-${id}@${domain}>`;
export const threadSubject = (group: string, title: string, reply: boolean) => `${reply ? 'Re: ' : ''}[${group}] ${title}`;
export const listId = (slug: string, domain: string) => `${slug}.${domain}`;
/** A display name for a raw header: quoted ASCII, or an RFC 2047 encoded word. */
const phrase = (name: string) => (/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '')}"` : `=?UTF-8?B?${Buffer.from(name).toString('base64')}?=`);

/**
 * Decides who gets a mail about a new discussion or comment and enqueues one fully rendered
 * mail per recipient, in the caller's transaction (transactional outbox): if the post rolls
 * back, no mail exists. Recipients are the group's members at level 'all', or at
 * 'participating' when mentioned or already in the discussion; never the author; each one
 * is re-checked with the policy. One mail per new item (no batching: each comment keeps its
 * own Message-ID, so mail clients thread and de-duplicate them).
 */
export async function notifyByEmail(tx: Tx, deps: Deps, p: NotifyInput): Promise<number> {
  const d = p.discussion;
  const members = await tx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .leftJoin('emailSettings', 'emailSettings.userId', 'memberships.userId')
    .leftJoin('emailGroupPrefs', (j) => j.onRef('emailGroupPrefs.userId', '=', 'memberships.userId').onRef('emailGroupPrefs.groupId', '=', 'memberships.groupId'))
    .select(['users.id', 'users.email', 'users.name', 'users.locale', 'memberships.role', 'emailSettings.level as defaultLevel', 'emailGroupPrefs.level as groupLevel'])
    .where('memberships.groupId', '=', d.groupId)
    .where('memberships.userId', '<>', p.authorId)
    .where('users.disabledAt', 'is', null)
    .execute();
  const level = (m: (typeof members)[number]) => (m.groupLevel ?? m.defaultLevel ?? DEFAULT_LEVEL) as EmailLevel;
  const wanted = members.filter((m) => level(m) === 'all' || level(m) === 'participating');
  if (wanted.length === 0) return 0;

  let participants = new Set<string>(p.mentioned);
  if (wanted.some((m) => level(m) === 'participating')) {
    participants.add(d.authorId);
    if (p.commentId) {
      const rows = await tx.selectFrom('comments').select('authorId').distinct().where('discussionId', '=', d.id).where('deletedAt', 'is', null).execute();
      for (const r of rows) participants.add(r.authorId);
    }
  }
  const author = await tx.selectFrom('users').select(['name']).where('id', '=', p.authorId).executeTakeFirstOrThrow();
  const { config, clock } = deps;
  const now = clock.now();
  const secret = mailSecret(config.dataDir);
  const domain = config.mailDomain;
  const rootId = discussionMessageId(d.id, domain);
  const messageId = p.commentId ? commentMessageId(p.commentId, domain) : rootId;
  const url = `${config.baseUrl}/d/${d.id}${p.commentId ? `?comment=${p.commentId}#c-${p.commentId}` : ''}`;
  const html = absolutize(p.bodyHtml, config.baseUrl);

  const jobs: MailMessage[] = [];
  for (const m of wanted) {
    if (level(m) === 'participating' && !participants.has(m.id)) continue;
    // Re-check with the policy, as that member: only people who may read it get it.
    const recipient: Actor = { kind: 'user', userId: m.id as UserId, isAdmin: false, roles: new Map([[d.groupId, m.role as Role]]) };
    if (!can(recipient, 'discussion.read', discussionFacts(d))) continue;
    const locale = isLocale(m.locale) ? m.locale : 'fr';
    const t = translator(locale);
    const unsubscribe = `${config.baseUrl}/email/unsubscribe/${unsubscribeToken(secret, { userId: m.id, groupId: d.groupId })}`;
    const { text, html: body } = renderMail({
      locale,
      title: d.title,
      blocks: [
        { kind: 'meta', text: t(p.commentId ? 'email.notify.replied' : 'email.notify.started', { name: author.name, group: d.group.name }) },
        ...(p.commentId ? [] : [{ kind: 'heading' as const, text: d.title }]),
        { kind: 'html', html, text: p.body },
        { kind: 'action', label: t('email.notify.open'), url },
      ],
      footer: {
        text: t('email.notify.footer', { group: d.group.name }),
        links: [
          { label: t('email.notify.settings'), url: `${config.baseUrl}/groups/${d.group.slug}/email` },
          { label: t('email.notify.unsubscribe', { group: d.group.name }), url: unsubscribe },
        ],
      },
    });
    jobs.push({
      to: m.email,
      subject: threadSubject(d.group.name, d.title, p.commentId !== null),
      text,
      html: body,
      messageId,
      fromName: `${author.name} (${d.group.name})`,
      replyTo: `${replyLocalPart(secret, d.id, m.id, now)}@${domain}`,
      headers: {
        'List-Id': `${phrase(d.group.name)} <${listId(d.group.slug, domain)}>`,
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'List-Post': `<mailto:${d.group.slug}@${domain}>`,
        'Auto-Submitted': 'auto-generated',
        ...(p.commentId ? { 'In-Reply-To': rootId, References: rootId } : {}),
      },
    });
  }
  await enqueueMany(tx, jobs, now);
  return jobs.length;
}

/** Outbox rows for many mails in few statements (a large group gets one mail per member). */
export async function enqueueMany(tx: Tx, mails: MailMessage[], at: Date): Promise<void> {
  const iso = at.toISOString();
  for (let i = 0; i < mails.length; i += 200) {
    const rows = mails.slice(i, i + 200).map((m) => ({ id: newId(), kind: 'mail.send', payload: JSON.stringify(m), runAt: iso, attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null, createdAt: iso }));
    if (rows.length) await tx.insertInto('jobs').values(rows).execute();
  }
}
