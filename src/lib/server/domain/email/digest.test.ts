import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeMailCircle, pendingMails, start } from '../../../../../tests/support/email-factories';

describe.each(engines)('%s: digests', (engine) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(engine, { MAIL_DOMAIN: 'ruche.test' });
  });
  afterAll(() => app.cleanup());

  it('at the member’s local hour: what they have not read, mentions first, once per period', async () => {
    const c = await makeMailCircle(app, {});
    await app.email.saveSettings(c.anne.actor, { level: 'daily', digestHour: 8, digestWeekday: 1 });
    const s = await app.email.settings(c.anne.actor);
    // Clock is 2026-01-15 10:00 UTC; 8:00 in Brussels is 07:00 UTC.
    expect(s.nextDigestAt).toBe('2026-01-16T07:00:00.000Z');
    const read = await start(app, c.bert.actor, c.g.slug, 'Already read');
    const quiet = await start(app, c.bert.actor, c.g.slug, 'Garden tools');
    const mention = await start(app, c.admin.actor, c.g.slug, 'Treasurer needed', `@${c.anne.handle} could you?`);
    await app.discussions.reply(c.admin.actor, { discussionId: quiet.id, body: 'I have a rake.' });
    await app.discussions.open(c.anne.actor, { discussionId: read.id });
    // No immediate mail for a member at digest level, even when mentioned.
    expect((await pendingMails(app)).filter((m) => m.to === c.emails.anne)).toEqual([]);

    app.clock.advance(20 * 3600_000 + 30_000); // 2026-01-16 06:00:30 UTC: not yet
    expect(await app.email.digests.scheduleDue()).toBe(0);
    app.clock.advance(3600_000); // 07:00:30 UTC = 08:00:30 in Brussels
    expect(await app.email.digests.scheduleDue()).toBe(1);
    expect(await app.email.digests.scheduleDue()).toBe(0);
    await app.jobs.runDue();
    const mails = (await pendingMails(app)).filter((m) => m.to === c.emails.anne);
    expect(mails).toHaveLength(1);
    const d = mails[0];
    expect(d.subject).toBe('Votre résumé du jour\u00a0: 2 sujets avec du nouveau');
    expect(d.text).toContain('Garden tools');
    expect(d.text).toContain('Treasurer needed');
    expect(d.text).not.toContain('Already read');
    expect(d.text.indexOf('mentionné')).toBeLessThan(d.text.indexOf('Garden tools'));
    expect(d.text).toContain('1 nouvelle réponse');
    expect(d.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(d.messageId).toBe(`<digest-${c.anne.id}-2026011607@ruche.test>`);
    expect((await app.email.settings(c.anne.actor)).nextDigestAt).toBe('2026-01-17T07:00:00.000Z');
    void mention;
  });

  it('weekly digests only on the chosen day; nothing new means no mail', async () => {
    const c = await makeMailCircle(app, {});
    await app.email.saveSettings(c.bert.actor, { level: 'participating', digestHour: 18, digestWeekday: 5 });
    await app.email.saveGroupLevel(c.bert.actor, { groupSlug: c.g.slug, level: 'weekly' });
    const next = (await app.email.settings(c.bert.actor)).nextDigestAt!;
    expect(new Date(next).getUTCDay()).toBe(5); // a Friday
    const built = await app.email.digests.build({ userId: c.bert.id, at: next });
    expect(built).toBe(false);
    await start(app, c.anne.actor, c.g.slug, 'Weekly news');
    // A Thursday: weekly groups are not included.
    expect(await app.email.digests.build({ userId: c.bert.id, at: new Date(new Date(next).getTime() - 86_400_000 + 3600_000).toISOString() })).toBe(false);
    expect(await app.email.digests.build({ userId: c.bert.id, at: next })).toBe(true);
    const mail = (await pendingMails(app)).find((m) => m.to === c.emails.bert && m.messageId.startsWith('<digest-'))!;
    expect(mail.subject).toContain('semaine');
  });
});
