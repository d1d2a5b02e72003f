import type { EmailLevel } from '../../db/schema';
import { inTx, type Deps } from '../../kernel/deps';
import { enqueueJob } from '../../kernel/outbox';
import { formatDate, isLocale, translator } from '../../../i18n';
import { DEFAULT_LEVEL, refreshDigestSchedule } from './prefs';
import { localWeekday } from './schedule';
import { unreadNotices, type DigestItem, type DigestSource } from '../notifications';
import type { UserActor } from '../../policy';
import type { UserId } from '../../kernel/ids';
import { summaryText } from './notice-mail';
import { renderMail, type Block } from './mail-render';
import { mailSecret, unsubscribeToken } from './tokens';

export type DigestJob = { userId: string; at: string };
const DAY = 86_400_000;

/**
 * Daily and weekly digests. The scheduler claims members whose local digest time has passed
 * (compare-and-set on next_digest_at, so two processes never enqueue the same period) and
 * enqueues one 'digest.build' job each; the job collects what the member has not read in
 * their digest groups, mentions and requests waiting for them first, and enqueues one mail
 * whose Message-ID names the member and the period (a retry is the same mail).
 */
export function createDigests(deps: Deps, sources: DigestSource[] = []) {
  const { db, clock, config } = deps;

  /** Enqueues the digests that are due. Returns how many. Safe to call from every process. */
  async function scheduleDue(limit = 1000): Promise<number> {
    const now = clock.now();
    const due = await db.selectFrom('emailSettings').select(['userId', 'nextDigestAt']).where('nextDigestAt', '<=', now.toISOString()).orderBy('nextDigestAt').limit(limit).execute();
    let n = 0;
    for (const d of due) {
      const claimed = await inTx(deps, async (tx) => {
        const r = await tx.updateTable('emailSettings').set({ nextDigestAt: null }).where('userId', '=', d.userId).where('nextDigestAt', '=', d.nextDigestAt).returning('userId').executeTakeFirst();
        if (!r) return false;
        await enqueueJob(tx, 'digest.build', { userId: d.userId, at: d.nextDigestAt! }, now);
        await refreshDigestSchedule(tx, d.userId, now);
        return true;
      });
      if (claimed) n++;
    }
    return n;
  }

  /** Builds one member's digest for the period ending at `at` and enqueues its mail (if anything is new). */
  async function build(job: DigestJob): Promise<boolean> {
    const at = new Date(job.at);
    const u = await db
      .selectFrom('users')
      .leftJoin('emailSettings', 'emailSettings.userId', 'users.id')
      .select(['users.id', 'users.email', 'users.name', 'users.locale', 'users.timeZone', 'users.disabledAt', 'users.isAdmin', 'emailSettings.level', 'emailSettings.digestWeekday'])
      .where('users.id', '=', job.userId)
      .executeTakeFirst();
    if (!u || u.disabledAt) return false;
    const defaultLevel = (u.level ?? DEFAULT_LEVEL) as EmailLevel;
    const groups = await db
      .selectFrom('memberships')
      .leftJoin('emailGroupPrefs', (j) => j.onRef('emailGroupPrefs.userId', '=', 'memberships.userId').onRef('emailGroupPrefs.groupId', '=', 'memberships.groupId'))
      .select(['memberships.groupId', 'emailGroupPrefs.level'])
      .where('memberships.userId', '=', u.id)
      .execute();
    const weeklyToday = localWeekday(at, u.timeZone) === (u.digestWeekday ?? 1);
    const windows = new Map<string, string>();
    for (const g of groups) {
      const l = (g.level ?? defaultLevel) as EmailLevel;
      if (l === 'daily') windows.set(g.groupId, new Date(at.getTime() - DAY).toISOString());
      else if (l === 'weekly' && weeklyToday) windows.set(g.groupId, new Date(at.getTime() - 7 * DAY).toISOString());
    }
    if (windows.size === 0) return false;
    const atIso = at.toISOString();
    const oldest = [...windows.values()].sort()[0];
    const items: DigestItem[] = [];
    for (const source of sources) items.push(...(await source(db, { userId: u.id, windows, at: atIso })));
    items.sort((a, b) => a.groupName.localeCompare(b.groupName) || (a.lastActivityAt < b.lastActivityAt ? 1 : -1));

    // What waits for the member (requests to handle) and mentions come first, from the notifications.
    const actor: UserActor = { kind: 'user', userId: u.id as UserId, isAdmin: u.isAdmin === 1, roles: new Map() };
    const notes = await unreadNotices(db, actor, deps.noticeSubjects ?? {}, { reasons: ['mentioned', 'admin'], since: oldest, until: atIso, limit: 50 });
    const mentions = notes.filter((n) => n.reason === 'mentioned' && n.groupId && windows.has(n.groupId));
    const waiting = notes.filter((n) => n.reason === 'admin');
    if (items.length === 0 && mentions.length === 0 && waiting.length === 0) {
      await db.updateTable('emailSettings').set({ lastDigestAt: atIso }).where('userId', '=', u.id).execute();
      return false;
    }

    const locale = isLocale(u.locale) ? u.locale : 'fr';
    const t = translator(locale);
    const base = config.baseUrl;
    const blocks: Block[] = [{ kind: 'heading', text: t('email.digest.title') }];
    if (waiting.length) {
      blocks.push({ kind: 'heading', text: t('email.digest.waiting') });
      for (const w of waiting) blocks.push({ kind: 'item', title: summaryText(t, w.data, w.reason), url: `${base}${w.data.url}` });
    }
    if (mentions.length) {
      blocks.push({ kind: 'heading', text: t('email.digest.mentions') });
      for (const m of mentions) blocks.push({ kind: 'item', title: t('email.digest.mention_item', { name: m.data.actor?.name ?? '?', title: m.data.title }), url: `${base}${m.data.url}`, meta: m.data.group?.name ?? '' });
    }
    let group = '';
    for (const r of items) {
      if (r.groupName !== group) blocks.push({ kind: 'heading', text: (group = r.groupName) });
      const meta = r.note ? t(r.note.key, { date: r.note.at ? formatDate(r.note.at, locale, u.timeZone) : '' }) : `${t('email.digest.activity', { count: r.newCount })} · ${formatDate(r.lastActivityAt, locale, u.timeZone)}`;
      blocks.push({ kind: 'item', title: r.title, url: `${base}${r.url}`, meta });
    }
    const weekly = [...windows.values()].some((w) => at.getTime() - new Date(w).getTime() > DAY);
    const unsubscribe = `${base}/email/unsubscribe/${unsubscribeToken(mailSecret(config.dataDir), { userId: u.id, groupId: null })}`;
    const { text, html } = renderMail({
      locale,
      title: t('email.digest.title'),
      blocks,
      footer: { text: t('email.digest.footer'), links: [{ label: t('email.notify.settings'), url: `${base}/profile/email` }, { label: t('email.digest.unsubscribe'), url: unsubscribe }] },
    });
    const count = new Set(items.map((i) => i.url)).size;
    await inTx(deps, async (tx) => {
      await enqueueJob(
        tx,
        'mail.send',
        {
          to: u.email,
          subject: t(weekly ? 'email.digest.subject_weekly' : 'email.digest.subject_daily', { count }),
          text,
          html,
          messageId: `<digest-${u.id}-${atIso.slice(0, 13).replace(/[^0-9]/g, '')}@${config.mailDomain}>`,
          headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Auto-Submitted': 'auto-generated' },
        },
        clock.now(),
      );
      await tx.updateTable('emailSettings').set({ lastDigestAt: atIso }).where('userId', '=', u.id).execute();
    });
    return true;
  }

  return { scheduleDue, build };
}
