import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;
let bob: Awaited<ReturnType<typeof chatUser>>;
let carl: Awaited<ReturnType<typeof chatUser>>;
let slug: string;
let png: Buffer;

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'en', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'en' });
  bob = await chatUser(app, { name: 'Bob Janssens', locale: 'fr' });
  carl = await chatUser(app, { name: 'Carl Outsider', locale: 'en' });
  slug = (await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { name: 'Stand Team', visibility: 'closed' })).slug;
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } }).png().toBuffer();
});
afterAll(async () => {
  await e?.close();
});

const signIn = (context: BrowserContext, userId: string) => e.signIn(context, userId);

describe('chat attachments', () => {
  it('an image sent from the live chat shows for the other member; an outsider cannot open it', async () => {
    const a = await e.newPage({ locale: 'en-GB' });
    const b = await e.newPage({ locale: 'fr-BE' });
    await signIn(a.context, anne.id);
    await signIn(b.context, bob.id);
    await a.page.goto(`/groups/${slug}/chat`);
    await b.page.goto(`/groups/${slug}/chat`);
    await a.page.getByText('Live').waitFor();
    await b.page.getByText('En direct').waitFor();
    await a.page.getByLabel('Attach files').setInputFiles({ name: 'stand.png', mimeType: 'image/png', buffer: png });
    await a.page.getByLabel(/^Message/).fill('The **stand** layout');
    await a.page.getByRole('button', { name: 'Send' }).click();
    const img = b.page.locator('.msg', { hasText: 'layout' }).locator('img');
    await img.waitFor();
    const src = (await img.getAttribute('src'))!;
    expect(src).toMatch(/^\/files\/.+\/preview$/);
    // Bob's browser loads it; an outsider's request is "not found".
    expect((await b.page.request.get(src)).status()).toBe(200);
    const c = await e.newPage({ locale: 'en-GB' });
    await signIn(c.context, carl.id);
    expect((await c.page.request.get(src)).status()).toBe(404);
    await a.context.close();
    await b.context.close();
    await c.context.close();
  });

  it('without JavaScript a file goes with the plain form', async () => {
    const b = await e.newPage({ locale: 'fr-BE', javaScriptEnabled: false });
    await signIn(b.context, bob.id);
    await b.page.goto(`/groups/${slug}/chat`);
    await b.page.getByLabel('Joindre des fichiers').setInputFiles({ name: 'horaire.txt', mimeType: 'text/plain', buffer: Buffer.from('Samedi 9:00') });
    await b.page.getByRole('button', { name: 'Envoyer' }).click();
    await b.page.waitForURL(/\/chat#m-/);
    const link = b.page.locator('.msg a', { hasText: 'horaire.txt' });
    await link.waitFor();
    expect((await b.page.request.get((await link.getAttribute('href'))!)).status()).toBe(200);
  });
});
