import type { SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeMailCircle, start } from '../../../../../tests/support/email-factories';
import { actorOf, makeUser } from '../../../../../tests/support/discussions-factories';
import { freePort } from '../../../../../tests/support/ports';
import { mailWorld } from '../../../../../tests/support/mail-world';
import { startSink } from '../../../../../tests/support/smtp-sink';
import { startInboundSmtp, type InboundServer } from '../../mail-in/smtp-in';

/** A delivery status notification (RFC 3464) saying that mail to `failed` could not be delivered. */
const dsn = (failed: string, to: string) =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.org>',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Auto-Submitted: auto-replied',
    `Message-ID: <dsn-${Math.random().toString(36).slice(2)}@mx.example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r1"',
    '',
    '--r1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I could not deliver your message.',
    '--r1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.org',
    '',
    `Final-Recipient: rfc822; ${failed}`,
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '',
    '--r1--',
    '',
  ].join('\r\n');

describe.each(engines)('%s: delivery reports and failing addresses', (engine) => {
  let app: TestApp;
  let smtp: InboundServer;
  let send: (m: SendMailOptions) => Promise<unknown>;
  beforeAll(async () => {
    app = await createTestApp(engine, { MAIL_DOMAIN: 'ruche.test' });
    // An empty zone: nothing here needs DNS, and nothing may ask the real one.
    const world = mailWorld();
    smtp = await startInboundSmtp(app, { port: await freePort(), host: '127.0.0.1', resolver: world.resolver });
    send = world.server(smtp.port, { ip: '127.0.0.7', helo: 'mx.example.org' });
  });
  afterAll(async () => {
    await smtp.close();
    await app.cleanup();
  });

  const failing = async (userId: string) => (await app.db.selectFrom('users').select(['mailFailingAt', 'mailFailingReason']).where('id', '=', userId).executeTakeFirstOrThrow()).mailFailingAt;
  const report = (failed: string, returnPath: string) => send({ envelope: { from: '', to: [returnPath] }, raw: dsn(failed, returnPath) });
  /** Sends what is due; returns what left for `to`, with its return path. */
  const deliver = async (to: string) => {
    const before = app.mailbox.sent.length;
    await app.jobs.runDue(100);
    return app.mailbox.sent.slice(before).filter((m) => m.to === to);
  };

  it('every mail leaves with its own signed return path; a report to it marks that address as failing', async () => {
    const c = await makeMailCircle(app, { bert: 'all', anne: 'all' });
    await start(app, c.admin.actor, c.g.slug, 'One');
    const [toBert] = await deliver(c.emails.bert);
    await start(app, c.admin.actor, c.g.slug, 'Two');
    const [again] = await deliver(c.emails.bert);
    const rp = toBert.returnPath!;
    expect(rp).toMatch(/^bounce\+[0-9a-z.]+@ruche\.test$/);
    expect(rp.split('@')[0].length).toBeLessThanOrEqual(64);
    expect(again.returnPath).not.toBe(rp);

    // Reports anyone can write, to any other address of ours, change nothing.
    await report(c.emails.bert, 'noreply@ruche.test');
    await report(c.emails.bert, rp.replace(/\.([0-9a-z]+)@/, '.aaaaaaaaaa@'));
    expect(await failing(c.bert.id)).toBeNull();
    // A report to the return path of a mail sent to Anne speaks of Anne's address, whatever it names.
    await start(app, c.admin.actor, c.g.slug, 'Three');
    const [anneMail] = await deliver(c.emails.anne);
    await report(c.emails.bert, anneMail.returnPath!);
    expect(await failing(c.bert.id)).toBeNull();
    expect(await failing(c.anne.id)).not.toBeNull();

    await report(c.emails.bert, rp);
    expect(await failing(c.bert.id)).not.toBeNull();
    expect((await app.email.settings(c.bert.actor)).failing?.reason).toContain('user unknown');
    const admin = await makeUser(app, { isAdmin: true });
    const listed = await app.accounts.listUsers(await actorOf(app, admin.id), { q: c.emails.bert });
    expect(listed.items.map((i) => i.mailFailing)).toEqual([true]);
  });

  it('a failing address gets only essential mail until its owner confirms it', async () => {
    const c = await makeMailCircle(app, { bert: 'all' });
    await start(app, c.admin.actor, c.g.slug, 'Before');
    const [first] = await deliver(c.emails.bert);
    await report(c.emails.bert, first.returnPath!);
    expect(await failing(c.bert.id)).not.toBeNull();

    // Notifications stop (the job is done, not retried forever)…
    const d = await start(app, c.admin.actor, c.g.slug, 'While failing');
    expect((await deliver(c.emails.bert)).filter((m) => m.messageId.includes(d.id))).toEqual([]);
    expect(await app.db.selectFrom('jobs').select('id').where('doneAt', 'is', null).where('kind', '=', 'mail.send').execute()).toEqual([]);
    // …login links still go…
    await app.accounts.requestMagicLink({ email: c.emails.bert });
    expect((await deliver(c.emails.bert)).map((m) => m.subject).join()).toMatch(/connexion|login|aanmelden/i);
    // …and saving the settings does not clear the mark: only a confirmation does.
    await app.email.saveSettings(c.bert.actor, { level: 'all', digestHour: 8, digestWeekday: 1 });
    expect(await failing(c.bert.id)).not.toBeNull();

    // "Confirm my address" sends a link that gets through although the address is failing.
    expect(await app.email.requestAddressConfirmation(c.bert.actor)).toEqual({ sent: true });
    const [confirm] = await deliver(c.emails.bert);
    const token = /\/email\/address\/([^\s]+)/.exec(confirm.text)![1];
    // Opening the page changes nothing; its button does.
    expect(await app.email.addressLinkInfo({ token })).toEqual({ email: c.emails.bert, state: 'valid' });
    expect(await failing(c.bert.id)).not.toBeNull();
    expect(await app.email.confirmAddress({ token })).toEqual({ email: c.emails.bert, state: 'done' });
    expect(await failing(c.bert.id)).toBeNull();
    const after = await start(app, c.admin.actor, c.g.slug, 'After');
    expect((await deliver(c.emails.bert)).filter((m) => m.messageId.includes(after.id))).toHaveLength(1);

    // A link asked before a newer failure proves nothing about the address today.
    app.clock.advance(60_000);
    const [latest] = app.mailbox.sent.filter((m) => m.to === c.emails.bert && m.messageId.includes(after.id));
    await report(c.emails.bert, latest.returnPath!);
    expect((await app.email.addressLinkInfo({ token })).state).toBe('expired');
    expect((await app.email.confirmAddress({ token })).state).toBe('expired');
    expect(await failing(c.bert.id)).not.toBeNull();
    await expect(app.email.addressLinkInfo({ token: token.slice(0, -2) + 'xx' })).rejects.toMatchObject({ kind: 'not_found' });
    // Nothing to confirm for an address that works.
    expect(await app.email.requestAddressConfirmation(c.anne.actor)).toEqual({ sent: false });
  });

  it('the return path is the envelope sender over real SMTP', async () => {
    const sink = await startSink();
    const out = await createTestApp(engine, { SMTP_URL: sink.url, MAIL_DOMAIN: 'ruche.test' });
    try {
      const c = await makeMailCircle(out, { anne: 'all' });
      await start(out, c.bert.actor, c.g.slug, 'Over SMTP');
      await out.jobs.runDue();
      const [got] = await sink.waitFor(1);
      expect(got.rcpt).toEqual([c.emails.anne]);
      expect(got.from).toMatch(/^bounce\+[0-9a-z.]+@ruche\.test$/);
      expect(got.parsed.from?.value[0].address).toBe('noreply@ruche.test');
    } finally {
      await out.cleanup();
      await sink.stop();
    }
  });
});
