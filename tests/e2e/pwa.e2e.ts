import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: 'Monnaie citoyenne bruxelloise', openRegistration: 0, defaultLocale: 'fr', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'en' });
  await chatGroup(app, [{ id: anne.id }], { name: 'Market Team' });
});
afterAll(async () => {
  await e?.close();
});

describe('the installable app', () => {
  it('meets the install criteria: a manifest with icons and shortcuts, a service worker controlling the root scope', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const res = await page.request.get(href!);
    expect(res.headers()['content-type']).toContain('application/manifest+json');
    const m = await res.json();
    expect(m).toMatchObject({ name: 'Zinne', display: 'standalone', start_url: '/', scope: '/' });
    expect(m.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const i of m.icons) expect((await page.request.get(i.src)).headers()['content-type']).toBe('image/png');
    expect(m.shortcuts.map((s: { url: string }) => s.url)).toEqual(['/tasks', '/messages']);
    // The service worker takes the page over (root scope).
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(new URL(scope).pathname).toBe('/');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.close();
  });

  it('a pushed notification shows, replaces the previous one of the same discussion, and closes when read elsewhere', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await context.grantPermissions(['notifications'], { origin: e.url });
    await e.signIn(context, anne.id);
    await page.goto('/profile/devices');
    await page.evaluate(async () => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (ev: { registrations: { registrationId: string; scopeURL: string }[] }) => registrations.push(...ev.registrations));
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.length).toBeGreaterThan(0);
    const push = (data: unknown) => cdp.send('ServiceWorker.deliverPushMessage', { origin: e.url, registrationId: registrations[0].registrationId, data: JSON.stringify(data) });
    const shown = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data?.url })));

    await push({ type: 'notify', title: 'Bob mentioned you in “Stand”', body: 'Can you come?', url: '/d/1', tag: 'discussion:1', notificationId: 'n1' });
    await expect.poll(shown).toEqual([{ title: 'Bob mentioned you in “Stand”', body: 'Can you come?', tag: 'discussion:1', url: '/d/1' }]);
    await push({ type: 'notify', title: 'Bob replied in “Stand”', body: 'Or Sunday?', url: '/d/1?comment=2', tag: 'discussion:1', notificationId: 'n2' });
    await push({ type: 'notify', title: 'Carl sent you a message', body: 'Hi', url: '/messages/9', tag: 'chat:9', notificationId: 'n3' });
    await expect.poll(async () => (await shown()).map((n) => n.title).sort()).toEqual(['Bob replied in “Stand”', 'Carl sent you a message']);
    await push({ type: 'clear', tags: ['discussion:1'] });
    await expect.poll(async () => (await shown()).map((n) => n.tag)).toEqual(['chat:9']);
    await context.close();
  });

  it('a page carries its member\'s language only, in its data; after a switch, pages drawn in the browser speak the new one', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    const scripts: Promise<string>[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.text().catch(() => ''));
    });
    const loaded = async (list: Promise<string>[]) => (await Promise.all(list)).join('\n');
    const html = await (await page.goto('/groups'))!.text();
    expect(html).toContain('Skip to content');
    expect(html).not.toContain('Aller au contenu');
    expect(html).not.toContain('Naar de inhoud');
    await page.waitForLoadState('networkidle');
    // No script carries texts, in any language.
    let js = await loaded(scripts);
    for (const text of ['Skip to content', 'Aller au contenu', 'Naar de inhoud']) expect(js).not.toContain(text);
    // Drawn in the browser (a navigation without reload) with the texts its data brings: English.
    await page.locator('[data-nav="tasks"]').first().click();
    await page.getByRole('heading', { level: 1, name: 'My tasks' }).waitFor();

    scripts.length = 0;
    await page.getByRole('button', { name: 'Nederlands' }).click();
    await page.getByRole('link', { name: 'Naar de inhoud' }).waitFor({ state: 'attached' });
    await page.waitForLoadState('networkidle');
    await page.locator('[data-nav="groups"]').first().click();
    await page.waitForURL('**/groups');
    await page.locator('[data-nav="tasks"]').first().click();
    await page.getByRole('heading', { level: 1, name: 'Mijn taken' }).waitFor();
    js = await loaded(scripts);
    for (const text of ['Skip to content', 'Aller au contenu', 'Naar de inhoud']) expect(js).not.toContain(text);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Skip to content' }).waitFor({ state: 'attached' });
    await context.close();
  });

  it('a visited page opens offline from the kept copy', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto('/groups');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // Visit it once under the service worker, so it is kept.
    await page.goto('/groups');
    await context.setOffline(true);
    await page.goto('/groups');
    await page.getByText('Market Team').first().waitFor();
    await context.setOffline(false);
    await context.close();
  });

  it('offers to install the app once the member comes back, with the steps on an iPhone, and "Not now" puts it away', async () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const { context, page } = await e.newPage({ locale: 'en-GB', userAgent: iphone });
    await e.signIn(context, anne.id);
    // Each visit counts once the page has started (not on the server's HTML alone).
    const visit = async (n: number) => {
      await page.goto('/');
      await page.waitForFunction((k) => Number(localStorage.getItem('ruche.install.visits')) >= k, n);
    };
    await visit(1);
    expect(await page.getByTestId('install-prompt').count()).toBe(0);
    await visit(2);
    await visit(3);
    const prompt = page.getByTestId('install-prompt');
    await prompt.waitFor();
    expect(await prompt.getAttribute('data-mode')).toBe('ios');
    expect(await prompt.innerText()).toContain('Add to Home Screen');
    await prompt.getByRole('button', { name: 'Not now' }).click();
    await prompt.waitFor({ state: 'detached' });
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByTestId('install-prompt').count()).toBe(0);
    // The devices page keeps the steps for every platform.
    await page.goto('/profile/devices');
    await page.getByTestId('install-prompt').waitFor();
    await context.close();
  });

  it('in Chrome, the browser\'s own install dialog opens from the invitation', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.addInitScript(() => localStorage.setItem('ruche.install.visits', '5'));
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // What Chromium fires when the install criteria are met (headless has no install UI to show).
    await page.evaluate(() => {
      const ev = new Event('beforeinstallprompt', { cancelable: true }) as Event & { prompt(): Promise<void>; userChoice: Promise<{ outcome: string }> };
      ev.prompt = async () => void ((window as unknown as { prompted: boolean }).prompted = true);
      ev.userChoice = Promise.resolve({ outcome: 'accepted' });
      dispatchEvent(ev);
    });
    await page.getByTestId('install-prompt').getByRole('button', { name: 'Install' }).click();
    await page.getByTestId('install-prompt').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
    await context.close();
  });

  it('the devices page lists, renames and removes devices without JavaScript', async () => {
    const app = e.running.app;
    await app.db.insertInto('pushSubscriptions').values({ id: 'dev-1', userId: anne.id, endpoint: 'https://fcm.googleapis.com/fcm/send/e2e-device', p256dh: 'BAAA', auth: 'AAAA', name: 'Chrome · Android', userAgent: '', createdAt: new Date().toISOString(), lastUsedAt: null }).execute();
    const { context, page } = await e.newPage({ javaScriptEnabled: false, locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto('/profile/devices');
    await page.getByText('Turning notifications on needs JavaScript in this browser.').waitFor();
    await page.getByLabel('Name of the device').fill('My phone');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await page.getByLabel('Name of the device').inputValue()).toBe('My phone');
    await page.getByRole('button', { name: 'Remove: My phone' }).click();
    await page.getByText('The device no longer rings.').waitFor();
    expect(await page.getByTestId('device').count()).toBe(0);
    await context.close();
  });
});
