import fs from 'node:fs';
import path from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeMailCircle, pendingMails, start } from '../../../../../tests/support/email-factories';
import { makeUser } from '../../../../../tests/support/accounts-factories';
import { addMember } from '../../../../../tests/support/discussions-factories';
import { freePort } from '../../../../../tests/support/ports';
import { mailWorld } from '../../../../../tests/support/mail-world';
import { startInboundSmtp, type InboundServer } from '../../mail-in/smtp-in';
import { HELD_DAYS, HELD_PER_HOUR } from './pending';

type Send = (m: SendMailOptions) => Promise<unknown>;

/**
 * Post by email proves who wrote: example.org (the members' provider, 127.0.0.2) signs with
 * DKIM under DMARC p=reject; a stranger's server (127.0.0.66) can write any From: it likes.
 * nodmarc.example publishes DKIM and SPF but no DMARC; a relay at 127.0.0.10 checks mail
 * for us and says so in its Authentication-Results.
 */
describe.each(engines)('%s: mail in a member’s name must come from their mail server', (engine) => {
  let app: TestApp;
  let smtp: InboundServer;
  let member: Send;
  let stranger: Send;
  let relay: Send;
  let noDmarcSigned: Send;
  let noDmarcSpfOnly: Send;
  beforeAll(async () => {
    app = await createTestApp(engine, { MAIL_DOMAIN: 'ruche.test', MAIL_TRUSTED_RELAYS: '127.0.0.10', MAIL_TRUSTED_AUTHSERV_ID: 'mx.relay.test' });
    const world = mailWorld();
    world.publish('example.org', { spf: '127.0.0.2', dkim: true, dmarc: 'p=reject' });
    world.publish('nodmarc.example', { spf: '127.0.0.4', dkim: true });
    smtp = await startInboundSmtp(app, { port: await freePort(), host: '127.0.0.1', resolver: world.resolver });
    member = world.server(smtp.port, { ip: '127.0.0.2', helo: 'mx.example.org', signAs: 'example.org' });
    stranger = world.server(smtp.port, { ip: '127.0.0.66', helo: 'mx.stranger.example' });
    relay = world.server(smtp.port, { ip: '127.0.0.10', helo: 'mx.relay.test' });
    noDmarcSigned = world.server(smtp.port, { ip: '127.0.0.5', helo: 'out.nodmarc.example', signAs: 'nodmarc.example' });
    noDmarcSpfOnly = world.server(smtp.port, { ip: '127.0.0.4', helo: 'out.nodmarc.example' });
  });
  afterAll(async () => {
    await smtp.close();
    await app.cleanup();
  });

  const discussionsOf = (groupId: string) => app.db.selectFrom('discussions').selectAll().where('groupId', '=', groupId).execute();
  const commentsOf = (discussionId: string) => app.db.selectFrom('comments').selectAll().where('discussionId', '=', discussionId).execute();
  const heldMailsTo = async (to: string) => (await pendingMails(app)).filter((m) => m.to === to && m.messageId.startsWith('<held-'));
  const tokenOf = (mail: { text: string }) => /\/email\/confirm\/([^\s]+)/.exec(mail.text)![1];

  it('a stranger’s server cannot start a discussion as a member; the member is asked, and posting waits for them', async () => {
    const c = await makeMailCircle(app, {});
    await stranger({ from: c.emails.anne, to: `${c.g.slug}@ruche.test`, subject: 'Free bikes', text: 'Click here.', attachments: [{ filename: 'offer.txt', content: 'bikes\n' }] });
    expect(await discussionsOf(c.g.id)).toEqual([]);
    // Asked at her registered address, quoting only the subject; no bounce to anyone.
    const [ask] = await heldMailsTo(c.emails.anne);
    expect(ask.subject).toContain('Free bikes');
    expect(ask.text).not.toContain('Click here');
    expect((await pendingMails(app)).filter((m) => m.messageId.startsWith('<bounce-'))).toEqual([]);

    // The page shows what would be posted and changes nothing, however often it is opened.
    const token = tokenOf(ask);
    const info = await app.email.heldInfo({ token });
    await app.email.heldInfo({ token });
    expect(info).toMatchObject({ state: 'valid', kind: 'discussion', group: c.group.name, title: 'Free bikes', body: 'Click here.', sender: c.emails.anne, files: [{ name: 'offer.txt', size: 6 }] });
    expect(await discussionsOf(c.g.id)).toEqual([]);

    // The member confirms: posted as her, attachment included, once.
    const posted = await app.email.confirmHeld({ token });
    const [d] = await discussionsOf(c.g.id);
    expect([d.id, d.title, d.body, d.authorId]).toEqual([posted.discussionId, 'Free bikes', 'Click here.', c.anne.id]);
    const files = await app.db.selectFrom('files').select(['name']).where('discussionId', '=', d.id).execute();
    expect(files.map((f) => f.name)).toEqual(['offer.txt']);
    await expect(app.email.confirmHeld({ token })).rejects.toMatchObject({ kind: 'invalid', code: 'link_used' });
    expect((await app.email.heldInfo({ token })).posted).toEqual({ discussionId: d.id, commentId: null, url: `/d/${d.id}` });
    expect(await discussionsOf(c.g.id)).toHaveLength(1);
    await expect(app.email.heldInfo({ token: token.slice(0, -3) + 'AAA' })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a reply to a member’s reply address from a stranger’s server is held, not posted', async () => {
    const c = await makeMailCircle(app, { anne: 'all' });
    const d = await start(app, c.bert.actor, c.g.slug);
    const address = (await pendingMails(app)).find((m) => m.to === c.emails.anne && m.messageId === `<d-${d.id}@ruche.test>`)!.replyTo!;
    await stranger({ from: c.emails.anne, to: address, subject: 'Re: Potluck', text: 'I resign.' });
    expect(await commentsOf(d.id)).toEqual([]);
    const [ask] = await heldMailsTo(c.emails.anne);
    expect(await app.email.heldInfo({ token: tokenOf(ask) })).toMatchObject({ kind: 'reply', discussion: 'Potluck on Saturday', body: 'I resign.' });
    // The same reply from her own provider posts at once.
    await member({ from: c.emails.anne, to: address, subject: 'Re: Potluck', text: 'I bring soup.' });
    expect((await commentsOf(d.id)).map((x) => [x.body, x.authorId])).toEqual([['I bring soup.', c.anne.id]]);
  });

  it('the policy decides when the member confirms, not when the mail came', async () => {
    const c = await makeMailCircle(app, {});
    await stranger({ from: c.emails.bert, to: `${c.g.slug}@ruche.test`, subject: 'Later', text: 'Hello' });
    const token = tokenOf((await heldMailsTo(c.emails.bert))[0]);
    await app.db.deleteFrom('memberships').where('groupId', '=', c.g.id).where('userId', '=', c.bert.id).execute();
    await expect(app.email.confirmHeld({ token })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await discussionsOf(c.g.id)).toEqual([]);
    await expect(app.email.confirmHeld({ token })).rejects.toMatchObject({ code: 'link_used' });
  });

  it('held mail expires: the link stops working and the purge forgets the message and its file', async () => {
    const c = await makeMailCircle(app, {});
    await stranger({ from: c.emails.admin, to: `${c.g.slug}@ruche.test`, subject: 'Old', text: 'Old news' });
    const token = tokenOf((await heldMailsTo(c.emails.admin))[0]);
    const row = await app.db.selectFrom('emailPending').selectAll().where('userId', '=', c.admin.id).executeTakeFirstOrThrow();
    const file = path.join(app.config.dataDir, 'mail-held', row.eml);
    expect(fs.existsSync(file)).toBe(true);
    app.clock.advance((HELD_DAYS * 24 + 1) * 3600_000);
    try {
      expect((await app.email.heldInfo({ token })).state).toBe('expired');
      await expect(app.email.confirmHeld({ token })).rejects.toMatchObject({ code: 'link_expired' });
      expect(await app.email.purgeHeld()).toBeGreaterThanOrEqual(1);
      expect(fs.existsSync(file)).toBe(false);
      await expect(app.email.heldInfo({ token })).rejects.toMatchObject({ kind: 'not_found' });
      expect(await discussionsOf(c.g.id)).toEqual([]);
    } finally {
      app.clock.advance(-(HELD_DAYS * 24 + 1) * 3600_000);
    }
  });

  it('forged mail cannot flood a member with confirmation requests', async () => {
    const c = await makeMailCircle(app, {});
    for (let i = 0; i < HELD_PER_HOUR + 3; i++) await stranger({ from: c.emails.bert, to: `${c.g.slug}@ruche.test`, subject: `Spam ${i}`, text: 'x' });
    expect(await heldMailsTo(c.emails.bert)).toHaveLength(HELD_PER_HOUR);
    expect(await discussionsOf(c.g.id)).toEqual([]);
  });

  it('a domain without DMARC: an aligned DKIM signature or SPF for the From domain authenticates; neither does not', async () => {
    const c = await makeMailCircle(app, {});
    const carla = await makeUser(app, { email: 'carla@nodmarc.example' });
    await addMember(app, c.g.id, carla.id);
    await noDmarcSigned({ from: 'carla@nodmarc.example', to: `${c.g.slug}@ruche.test`, subject: 'Signed', text: 'By DKIM' });
    await noDmarcSpfOnly({ from: 'carla@nodmarc.example', to: `${c.g.slug}@ruche.test`, subject: 'Allowed', text: 'By SPF' });
    await stranger({ from: 'carla@nodmarc.example', to: `${c.g.slug}@ruche.test`, subject: 'Forged', text: 'By nobody' });
    // Signed by the right domain but sent from a server SPF does not name, with another envelope: DKIM alone suffices.
    await noDmarcSigned({ envelope: { from: 'carla@bounces.elsewhere.example', to: [`${c.g.slug}@ruche.test`] }, from: 'carla@nodmarc.example', to: `${c.g.slug}@ruche.test`, subject: 'Signed again', text: 'By DKIM' });
    expect((await discussionsOf(c.g.id)).map((d) => d.title).sort()).toEqual(['Allowed', 'Signed', 'Signed again']);
    expect((await heldMailsTo('carla@nodmarc.example')).map((m) => m.subject).join()).toContain('Forged');
  });

  it('believes the Authentication-Results of the trusted relay only, and only its own', async () => {
    const c = await makeMailCircle(app, {});
    const ar = (verdict: string) => ({ 'Authentication-Results': `mx.relay.test; dkim=${verdict} header.d=example.org; spf=${verdict} smtp.mailfrom=${c.emails.anne}; dmarc=${verdict} header.from=example.org` });
    await relay({ from: c.emails.anne, to: `${c.g.slug}@ruche.test`, subject: 'Via the relay', text: 'Checked upstream', headers: ar('pass') });
    // The same header from anywhere else proves nothing.
    await stranger({ from: c.emails.anne, to: `${c.g.slug}@ruche.test`, subject: 'Claims a pass', text: 'Forged header', headers: ar('pass') });
    // From the relay, but the relay says it failed.
    await relay({ from: c.emails.anne, to: `${c.g.slug}@ruche.test`, subject: 'Relay says fail', text: 'Forged upstream', headers: ar('fail') });
    expect((await discussionsOf(c.g.id)).map((d) => d.title)).toEqual(['Via the relay']);
    expect((await heldMailsTo(c.emails.anne)).map((m) => m.subject).sort()).toEqual([expect.stringContaining('Claims a pass'), expect.stringContaining('Relay says fail')].sort());
  });

  it('bounces only to a proven envelope sender, and quotes nothing but the subject', async () => {
    const c = await makeMailCircle(app, {});
    // Forged: a refusal would land on the innocent owner of the envelope address. Nothing is sent.
    await stranger({ envelope: { from: 'victim@example.org', to: ['no-such-group@ruche.test'] }, from: 'victim@example.org', to: 'no-such-group@ruche.test', subject: 'Spam', text: 'Buy now' });
    expect((await pendingMails(app)).filter((m) => m.to === 'victim@example.org')).toEqual([]);
    // Authenticated: the explanation goes to the envelope sender, not to a From: it names.
    await member({ envelope: { from: c.emails.outsider, to: [`${c.g.slug}@ruche.test`] }, from: c.emails.outsider, to: `${c.g.slug}@ruche.test`, subject: 'Let me in', text: 'My secret plans\nline two' });
    const [b] = (await pendingMails(app)).filter((m) => m.to === c.emails.outsider && m.messageId.startsWith('<bounce-'));
    expect(b.subject).toContain('Let me in');
    expect(b.text).toContain('Seuls les membres');
    expect(`${b.text}${b.html}`).not.toContain('secret plans');
  });
});
