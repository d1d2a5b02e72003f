import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeMailCircle, pendingMails, start } from '../../../../../tests/support/email-factories';
import { startSink } from '../../../../../tests/support/smtp-sink';
import { nextDigestTime } from './schedule';
import { mailSecret, replyLocalPart, shortToUuid, unsubscribeToken, uuidToShort, verifyReplyLocalPart } from './tokens';

describe.each(engines)('%s: outgoing notification mail', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine);
  });
  afterAll(() => app.cleanup());

  it('sends a new discussion to members at "every message", not to the author nor to "participating" members', async () => {
    const c = await makeMailCircle(app, { anne: 'all', admin: 'none' });
    const d = await start(app, c.bert.actor, c.g.slug);
    const mails = (await pendingMails(app)).filter((m) => m.messageId === `<d-${d.id}@localhost>`);
    expect(mails.map((m) => m.to)).toEqual([c.emails.anne]);
    const m = mails[0];
    expect(m.subject).toBe(`[${c.group.name}] Potluck on Saturday`);
    expect(m.fromName).toBe(`Bert Janssens (${c.group.name})`);
    expect(m.headers?.['List-Id']).toContain(`<${c.g.slug}.localhost>`);
    expect(m.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(m.text).toContain('Who brings what?');
    expect(m.html).toContain('color-scheme');
    // French by default (the recipient's language).
    expect(m.text).toContain('a lancé une discussion');
  });

  it('mentions reach "participating" members; replies reach those who took part', async () => {
    const c = await makeMailCircle(app, {});
    const d = await start(app, c.bert.actor, c.g.slug, 'Stall rota', `Can @${c.anne.handle} help?`);
    let mails = (await pendingMails(app)).filter((m) => m.messageId === `<d-${d.id}@localhost>`);
    expect(mails.map((m) => m.to)).toEqual([c.emails.anne]);
    const r = await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: 'I can do Sunday.' });
    mails = (await pendingMails(app)).filter((m) => m.messageId === `<c-${r.id}@localhost>`);
    // Bert started it (taking part); Anne only was mentioned in the opening post, not in this reply.
    expect(mails.map((m) => m.to).sort()).toEqual([c.emails.bert].sort());
    expect(mails[0].subject).toBe(`Re: [${c.group.name}] Stall rota`);
    expect(mails[0].headers?.['In-Reply-To']).toBe(`<d-${d.id}@localhost>`);
    expect(mails[0].headers?.References).toBe(`<d-${d.id}@localhost>`);
  });

  it('a per-group level overrides the default; one-click unsubscribe really sets it to "nothing"', async () => {
    const c = await makeMailCircle(app, { anne: 'none' });
    await app.email.saveGroupLevel(c.anne.actor, { groupSlug: c.g.slug, level: 'all' });
    expect((await app.email.groupSettings(c.anne.actor, { groupSlug: c.g.slug })).level).toBe('all');
    const d1 = await start(app, c.bert.actor, c.g.slug, 'One');
    expect((await pendingMails(app)).filter((m) => m.messageId === `<d-${d1.id}@localhost>`).map((m) => m.to)).toEqual([c.emails.anne]);
    const mail = (await pendingMails(app)).find((m) => m.messageId === `<d-${d1.id}@localhost>`)!;
    const token = mail.headers!['List-Unsubscribe'].match(/unsubscribe\/([^>]+)>/)![1];
    expect((await app.email.unsubscribeInfo({ token })).group?.name).toBe(c.group.name);
    await app.email.unsubscribe({ token });
    expect((await app.email.groupSettings(c.anne.actor, { groupSlug: c.g.slug })).level).toBe('none');
    const d2 = await start(app, c.bert.actor, c.g.slug, 'Two');
    expect((await pendingMails(app)).filter((m) => m.messageId === `<d-${d2.id}@localhost>`)).toEqual([]);
    await expect(app.email.unsubscribe({ token: token.slice(0, -2) + 'xx' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('only members may set a group level; settings are validated', async () => {
    const c = await makeMailCircle(app, {});
    await expect(app.email.saveGroupLevel(c.outsider.actor, { groupSlug: c.g.slug, level: 'all' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.email.saveSettings(c.anne.actor, { level: 'loud', digestHour: 25, digestWeekday: 1 })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(app.email.settings({ kind: 'visitor' })).rejects.toMatchObject({ kind: 'unauthenticated' });
  });
});

describe('signed addresses and digest times', () => {
  const secret = Buffer.alloc(32, 7);
  it('round-trips ids and rejects forged or expired reply addresses', () => {
    const d = '0190f3a2-1b2c-7d3e-8f40-123456789abc';
    const u = 'ffffffff-ffff-7fff-bfff-ffffffffffff';
    expect(shortToUuid(uuidToShort(d))).toBe(d);
    const now = new Date('2026-01-15T10:00:00Z');
    const local = replyLocalPart(secret, d, u, now);
    expect(local.length).toBeLessThanOrEqual(64);
    expect(verifyReplyLocalPart(secret, local, now)).toEqual({ ok: true, kind: 'discussion', targetId: d, discussionId: d, userId: u });
    expect(verifyReplyLocalPart(secret, local.toUpperCase(), now)).toMatchObject({ ok: true });
    const forged = local.replace(/\.[0-9a-z]+$/, '.aaaaaa');
    expect(verifyReplyLocalPart(secret, forged, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyReplyLocalPart(Buffer.alloc(32, 8), local, now)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyReplyLocalPart(secret, local, new Date('2026-12-15T10:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
    expect(unsubscribeToken(secret, { userId: u, groupId: null })).toMatch(/^[0-9a-z]+\.0\./);
  });

  it('a reply address may name a task: still at most 64 characters, and a kind cannot be swapped', () => {
    const now = new Date('2026-01-15T10:00:00Z');
    // Time-ordered ids (UUIDv7) of this century.
    const task = '019bc1a2-1b2c-7d3e-8f40-123456789abc';
    const user = '019bc1a2-ffff-7fff-bfff-ffffffffffff';
    const local = replyLocalPart(secret, task, user, now, 'task');
    expect(local).toMatch(/^r\+t-/);
    expect(local.length).toBeLessThanOrEqual(64);
    expect(verifyReplyLocalPart(secret, local, now)).toEqual({ ok: true, kind: 'task', targetId: task, discussionId: '', userId: user });
    // The same id as a discussion address with the task's signature, or the reverse: forged.
    const asDiscussion = local.replace('r+t-', 'r+');
    expect(verifyReplyLocalPart(secret, asDiscussion, now)).toEqual({ ok: false, reason: 'forged' });
    const discussionLocal = replyLocalPart(secret, task, user, now);
    expect(verifyReplyLocalPart(secret, discussionLocal.replace('r+', 'r+t-'), now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('digests fall at the local hour, across daylight saving time', () => {
    // 8:00 in Brussels is 07:00 UTC in winter, 06:00 UTC in summer.
    expect(nextDigestTime(new Date('2026-01-15T10:00:00Z'), 'Europe/Brussels', 8, 1, false).toISOString()).toBe('2026-01-16T07:00:00.000Z');
    expect(nextDigestTime(new Date('2026-07-15T05:00:00Z'), 'Europe/Brussels', 8, 1, false).toISOString()).toBe('2026-07-15T06:00:00.000Z');
    // Weekly on Monday (2026-01-19 is a Monday).
    expect(nextDigestTime(new Date('2026-01-15T10:00:00Z'), 'Europe/Brussels', 18, 1, true).toISOString()).toBe('2026-01-19T17:00:00.000Z');
    expect(nextDigestTime(new Date('2026-01-15T10:00:00Z'), 'America/New_York', 7, 1, false).toISOString()).toBe('2026-01-15T12:00:00.000Z');
  });

  it('keeps the secret under DATA_DIR', async () => {
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-secret-'));
    const a = mailSecret(dir);
    expect(fs.readFileSync(path.join(dir, 'mail-secret'), 'utf8').trim()).toBe(a.toString('base64url'));
    fs.rmSync(dir, { recursive: true });
  });
});

describe.each(engines)('%s: notification mail over SMTP', (engine) => {
  it('arrives threaded, with From, Reply-To, List-Id, one-click unsubscribe, HTML and text', async () => {
    const sink = await startSink();
    const app = await createTestApp(engine, { SMTP_URL: sink.url, MAIL_DOMAIN: 'ruche.test' });
    try {
      const c = await makeMailCircle(app, { anne: 'all', admin: 'none' });
      const d = await start(app, c.bert.actor, c.g.slug, 'Repair café');
      const r = await app.discussions.reply(c.admin.actor, { discussionId: d.id, body: 'See you **there**' });
      await app.jobs.runDue();
      const got = await sink.waitFor(3);
      const root = got.find((m) => m.parsed.messageId === `<d-${d.id}@ruche.test>` && m.rcpt[0] === c.emails.anne)!;
      const reply = got.find((m) => m.parsed.messageId === `<c-${r.id}@ruche.test>` && m.rcpt[0] === c.emails.anne)!;
      expect(root.parsed.subject).toBe(`[${c.group.name}] Repair café`);
      expect(root.parsed.from?.value[0].name).toBe(`Bert Janssens (${c.group.name})`);
      expect(reply.parsed.subject).toBe(`Re: [${c.group.name}] Repair café`);
      expect(reply.parsed.inReplyTo).toBe(`<d-${d.id}@ruche.test>`);
      expect(reply.parsed.references).toBe(`<d-${d.id}@ruche.test>`);
      expect(reply.parsed.html).toContain('<strong>there</strong>');
      expect(reply.parsed.text).toContain('See you **there**');
      const replyTo = reply.parsed.replyTo?.value[0].address ?? '';
      expect(replyTo).toMatch(/^r\+[0-9a-z.]+@ruche\.test$/);
      const raw = reply.raw.toString('utf8').replace(/\r?\n\s+/g, ' ');
      expect(raw).toMatch(new RegExp(`^List-Id: .*<${c.g.slug}\\.ruche\\.test>`, "mi"));
      expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
      expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:3000\/email\/unsubscribe\/[^>]+>/m);
      expect(raw).toMatch(/^Auto-Submitted: auto-generated/m);
    } finally {
      await app.cleanup();
      await sink.stop();
    }
  });
});
