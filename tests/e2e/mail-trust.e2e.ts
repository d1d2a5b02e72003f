import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { addMember, makeGroup } from '../support/discussions-factories';
import { UNAUTHENTICATED } from '../../src/lib/server/domain/email/auth';

/** The pages behind the mail-trust links, without JavaScript: "Did you send this?" and "Confirm my address". */
let e: E2E;
const users: Record<string, { id: string }> = {};
let slug = '';

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Ada Admin', email: 'ada@example.org', password: 'un long mot de passe' });
  users.anne = await insertUser(app.deps, app.db, { email: 'anne@example.org', name: 'Anne Peeters', handle: 'anne', locale: 'nl' });
  users.bert = await insertUser(app.deps, app.db, { email: 'bert@example.org', name: 'Bert Janssens', handle: 'bert', locale: 'fr' });
  const g = await makeGroup(app, { name: 'Repair Café', slug: 'repair', visibility: 'closed', createdBy: users.anne.id });
  slug = g.slug;
  for (const h of ['anne', 'bert']) await addMember(app, g.id, users[h].id);
});
afterAll(async () => {
  await e?.close();
});

/** The newest mail to `to` whose text holds `path`, read from the outbox. */
async function linkIn(to: string, path: string): Promise<string> {
  const rows = await e.running.app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').orderBy('createdAt', 'desc').execute();
  for (const r of rows) {
    const m = JSON.parse(r.payload) as { to: string; text: string };
    const hit = m.to === to && new RegExp(`https?://[^\\s]+(${path}[^\\s]+)`).exec(m.text);
    if (hit) return hit[1];
  }
  throw new Error(`no mail to ${to} with ${path}`);
}

describe('mail trust pages', () => {
  it('a held mail is shown, not posted, until its member presses the button (no login, no JavaScript)', async () => {
    const app = e.running.app;
    const out = await app.email.receive({
      envelopeFrom: 'anne@example.org',
      recipient: `${slug}@localhost`,
      from: 'anne@example.org',
      subject: 'Zaterdag open?',
      messageId: '<held-e2e@example.org>',
      text: 'Wie helpt zaterdag?',
      html: null,
      headers: {},
      contentType: 'text/plain',
      attachments: [],
      auth: { ...UNAUTHENTICATED, fromAddress: 'anne@example.org', summary: 'dmarc=fail' },
      raw: Buffer.from('From: anne@example.org\r\nSubject: Zaterdag open?\r\n\r\nWie helpt zaterdag?\r\n'),
    });
    expect(out.kind).toBe('held');
    const link = await linkIn('anne@example.org', '/email/confirm/');
    const { context, page } = await e.newPage({ javaScriptEnabled: false, locale: 'nl-BE' });
    await page.goto(link);
    await page.getByText('Wie helpt zaterdag?').waitFor();
    await page.getByText('Repair Café', { exact: false }).first().waitFor();
    expect(await app.db.selectFrom('discussions').select('id').execute()).toEqual([]);
    await page.getByRole('button', { name: 'Ja, ik stuurde het: plaatsen' }).click();
    await page.getByRole('status').getByText('Geplaatst.').waitFor();
    const [d] = await app.db.selectFrom('discussions').select(['title', 'authorId']).execute();
    expect(d).toEqual({ title: 'Zaterdag open?', authorId: users.anne.id });
    // The link is used up: opening it again only says so.
    await page.goto(link);
    await page.getByText('Geplaatst.').waitFor();
    expect(await page.getByRole('button', { name: 'Ja, ik stuurde het: plaatsen' }).count()).toBe(0);
    await context.close();
  });

  it('a member whose address bounces asks for a confirmation link and confirms it (no JavaScript)', async () => {
    const app = e.running.app;
    await app.db.updateTable('users').set({ mailFailingAt: app.clock.now().toISOString(), mailFailingReason: '5.1.1 user unknown' }).where('id', '=', users.bert.id).execute();
    const { context, page } = await e.newPage({ javaScriptEnabled: false, locale: 'fr-BE' });
    await e.signIn(context, users.bert.id);
    await page.goto('/profile/email');
    await page.getByText('5.1.1 user unknown').waitFor();
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await page.getByText('Nous avons envoyé un lien de confirmation à bert@example.org').waitFor();
    const link = await linkIn('bert@example.org', '/email/address/');
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
    await page.getByRole('status').getByText('bert@example.org reçoit de nouveau nos e-mails').waitFor();
    const u = await app.db.selectFrom('users').select('mailFailingAt').where('id', '=', users.bert.id).executeTakeFirstOrThrow();
    expect(u.mailFailingAt).toBeNull();
    await page.goto('/profile/email');
    expect(await page.getByRole('button', { name: 'Confirmer mon adresse' }).count()).toBe(0);
    await context.close();
  });
});
