import fs from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeMailCircle, pendingMails, start } from '../../../../../tests/support/email-factories';
import { freePort } from '../../../../../tests/support/ports';
import { startInboundSmtp, type InboundServer } from '../../mail-in/smtp-in';
import { INBOUND_PER_HOUR } from './inbound';
import { mailWorld } from '../../../../../tests/support/mail-world';

const fixture = (name: string, from: string, to: string) =>
  fs.readFileSync(path.resolve('tests/fixtures/mail', `${name}.eml`), 'utf8').replace('<FROM>', `<${from}>`).replace(/^To: TO$/m, `To: ${to}`).replace(/Message-ID: <([^>]+)>/, (_, id) => `Message-ID: <${id}.${Math.random().toString(36).slice(2)}>`);

/**
 * Members write from example.org, whose provider (127.0.0.2) signs with DKIM and is named in
 * SPF, under a DMARC policy: their mail is authenticated and posts at once. A stranger's
 * domain (elsewhere.example, 127.0.0.3) has SPF only, so bounces may answer it.
 */
describe.each(engines)('%s: reply and post by email over SMTP', (engine) => {
  let app: TestApp;
  let smtp: InboundServer;
  let send: (m: SendMailOptions) => Promise<unknown>;
  let sendFromElsewhere: (m: SendMailOptions) => Promise<unknown>;
  beforeAll(async () => {
    app = await createTestApp(engine, { MAIL_DOMAIN: 'ruche.test' });
    const world = mailWorld();
    world.publish('example.org', { spf: '127.0.0.2', dkim: true, dmarc: 'p=reject' });
    world.publish('elsewhere.example', { spf: '127.0.0.3' });
    smtp = await startInboundSmtp(app, { port: await freePort(), host: '127.0.0.1', maxBytes: 200 * 1024, resolver: world.resolver });
    send = world.server(smtp.port, { ip: '127.0.0.2', helo: 'mx.example.org', signAs: 'example.org' });
    sendFromElsewhere = world.server(smtp.port, { ip: '127.0.0.3', helo: 'mx.elsewhere.example' });
  });
  afterAll(async () => {
    await smtp.close();
    await app.cleanup();
  });

  const replyAddressFor = async (to: string, discussionId: string) => (await pendingMails(app)).find((m) => m.to === to && m.messageId === `<d-${discussionId}@ruche.test>`)!.replyTo!;
  const bounces = async (to: string) => (await pendingMails(app)).filter((m) => m.to === to && m.messageId.startsWith('<bounce-'));
  const comments = (discussionId: string) => app.db.selectFrom('comments').selectAll().where('discussionId', '=', discussionId).orderBy('seq').execute();

  it('posts a Gmail (French) reply as the member, without the quoted text, once', async () => {
    const c = await makeMailCircle(app, { anne: 'all' });
    const d = await start(app, c.bert.actor, c.g.slug);
    const address = await replyAddressFor(c.emails.anne, d.id);
    const raw = fixture('gmail-fr', c.emails.anne, address);
    await send({ envelope: { from: c.emails.anne, to: [address] }, raw });
    await send({ envelope: { from: c.emails.anne, to: [address] }, raw }); // redelivered: not posted twice
    const posted = await comments(d.id);
    expect(posted).toHaveLength(1);
    expect(posted[0].authorId).toBe(c.anne.id);
    expect(posted[0].body).toBe('Je peux apporter une quiche.');
    // The reply itself notifies the others by mail (Bert started the discussion).
    expect((await pendingMails(app)).some((m) => m.to === c.emails.bert && m.messageId === `<c-${posted[0].id}@ruche.test>`)).toBe(true);
  });

  it('keeps attachments of a reply', async () => {
    const c = await makeMailCircle(app, { anne: 'all' });
    const d = await start(app, c.bert.actor, c.g.slug);
    const address = await replyAddressFor(c.emails.anne, d.id);
    await send({ from: c.emails.anne, to: address, subject: 'Re: x', text: 'Here is the list.\n\nOn Thu, 15 Jan 2026, Bert wrote:\n> Who?', attachments: [{ filename: 'list.txt', content: 'quiche\nsoup\n', contentType: 'text/plain' }] });
    const [posted] = await comments(d.id);
    expect(posted.body).toBe('Here is the list.');
    const files = await app.db.selectFrom('files').selectAll().where('commentId', '=', posted.id).execute();
    expect(files.map((f) => [f.name, f.mime])).toEqual([['list.txt', 'text/plain']]);
  });

  it('bounces a forged reply address and a reply from another sender; never posts', async () => {
    const c = await makeMailCircle(app, { anne: 'all' });
    const d = await start(app, c.bert.actor, c.g.slug);
    const address = await replyAddressFor(c.emails.anne, d.id);
    const forged = address.replace(/\.([0-9a-z]+)@/, '.zzzzzz@');
    await send({ from: c.emails.anne, to: forged, subject: 'Re: x', text: 'Forged' });
    await send({ from: c.emails.outsider, to: address, subject: 'Re: x', text: 'Not mine' });
    expect(await comments(d.id)).toHaveLength(0);
    expect((await bounces(c.emails.anne)).map((b) => b.text).join()).toContain('n’est pas valable');
    expect((await bounces(c.emails.outsider)).map((b) => b.text).join()).toContain('appartient à un autre compte');
    expect((await bounces(c.emails.anne))[0].headers?.['Auto-Submitted']).toBe('auto-replied');
  });

  it('starts a discussion from a member writing to the group address; bounces non-members and unknown senders', async () => {
    const c = await makeMailCircle(app, {});
    await send({ from: c.emails.anne, to: `${c.g.slug}@ruche.test`, subject: 'Tool library opening hours', text: 'Shall we open on Sundays too?\n\n-- \nAnne' });
    const d = await app.db.selectFrom('discussions').selectAll().where('groupId', '=', c.g.id).executeTakeFirstOrThrow();
    expect([d.title, d.body, d.authorId]).toEqual(['Tool library opening hours', 'Shall we open on Sundays too?', c.anne.id]);
    await send({ from: c.emails.outsider, to: `${c.g.slug}@ruche.test`, subject: 'Let me in', text: 'Hello' });
    await sendFromElsewhere({ from: 'stranger@elsewhere.example', to: `${c.g.slug}@ruche.test`, subject: 'Hi', text: 'Hello', headers: { 'Content-Language': 'nl' } });
    expect(await app.db.selectFrom('discussions').select('id').where('groupId', '=', c.g.id).execute()).toHaveLength(1);
    expect((await bounces(c.emails.outsider))[0].text).toContain('Seuls les membres');
    expect((await bounces('stranger@elsewhere.example'))[0].text).toContain('We kennen het adres niet');
  });

  it('ignores auto-replies and out-of-office mail without answering', async () => {
    const c = await makeMailCircle(app, { anne: 'all' });
    const d = await start(app, c.bert.actor, c.g.slug);
    const address = await replyAddressFor(c.emails.anne, d.id);
    await send({ from: c.emails.anne, to: address, subject: 'Automatic reply: [G] x', text: 'I am away', headers: { 'Auto-Submitted': 'auto-replied' } });
    await send({ from: c.emails.anne, to: address, subject: 'Afwezig: [G] x', text: 'Ik ben weg', headers: { 'X-Autoreply': 'yes' } });
    await send({ from: c.emails.anne, to: address, subject: 'Re: x', text: 'Bulk', headers: { Precedence: 'bulk' } });
    await send({ from: c.emails.anne, to: address, subject: 'Réponse automatique : absent', text: 'Je suis absente' });
    expect(await comments(d.id)).toHaveLength(0);
    expect(await bounces(c.emails.anne)).toHaveLength(0);
  });

  it('refuses oversize mail at the SMTP level and mail for other domains', async () => {
    const c = await makeMailCircle(app, {});
    await expect(send({ from: c.emails.anne, to: `${c.g.slug}@ruche.test`, subject: 'Big', text: 'x'.repeat(300 * 1024) })).rejects.toMatchObject({ responseCode: 552 });
    await expect(send({ from: c.emails.anne, to: 'someone@elsewhere.example', subject: 'Relay?', text: 'no' })).rejects.toThrow(/550|recipient/i);
  });

  it('slows down a sender after too many mails in an hour, with one explanation', async () => {
    const c = await makeMailCircle(app, {});
    const auth = { from: true, envelope: true, fromAddress: c.emails.anne, summary: 'dmarc=pass' };
    const base = { envelopeFrom: c.emails.anne, from: c.emails.anne, recipient: 'nobody-here@ruche.test', subject: 'x', text: 'x', html: null, headers: {}, contentType: 'text/plain', attachments: [], auth, raw: Buffer.from('x') };
    for (let i = 0; i <= INBOUND_PER_HOUR + 2; i++) await app.email.receive({ ...base, messageId: `<flood-${i}@x>` });
    const b = await bounces(c.emails.anne);
    expect(b.filter((m) => m.text.includes('trop de messages'))).toHaveLength(1);
  });

  it('forged mail in a member’s name does not use up the member’s own hourly allowance', async () => {
    const c = await makeMailCircle(app, {});
    const mail = { envelopeFrom: c.emails.bert, from: c.emails.bert, recipient: `${c.g.slug}@ruche.test`, subject: 'x', text: 'x', html: null, headers: {}, contentType: 'text/plain', attachments: [], raw: Buffer.from('x') };
    const forged = { from: false, envelope: false, fromAddress: c.emails.bert, summary: 'dmarc=fail' };
    for (let i = 0; i <= INBOUND_PER_HOUR + 2; i++) await app.email.receive({ ...mail, auth: forged, messageId: `<forged-${i}@x>` });
    const real = await app.email.receive({ ...mail, subject: 'Real', auth: { ...forged, from: true, envelope: true, summary: 'dmarc=pass' }, messageId: '<real@x>' });
    expect(real.kind).toBe('posted');
  });
});
