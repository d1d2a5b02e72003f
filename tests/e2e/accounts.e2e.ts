import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startE2E, type E2E } from './support';

let e: E2E;
const PW = 'un mot de passe solide';

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Anne Admin', email: 'anne@example.org', password: PW, locale: 'fr' });
  await app.db.transaction().execute((tx) => app.accounts.registerWithInvitation(tx, { email: 'marc@example.org', name: 'Marc Dupont', password: PW, locale: 'fr' }));
});
afterAll(async () => {
  await e?.close();
});

/** Waits for the job runner to send the mail, and returns the first link to `path` in it. */
async function linkIn(to: string, path: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const m = e.mailbox.sent.find((x) => x.to === to && x.text.includes(path));
    if (m) return m.text.match(new RegExp(`https?://\\S+${path}\\S+`))![0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} with ${path}`);
}

describe('accounts', () => {
  it('logs in with an emailed link, then switches the interface to Dutch from the profile', async () => {
    const { page, context } = await e.newPage({ locale: 'fr-BE' });
    await page.goto('/login');
    const magic = page.locator('form[action="?/magic"]');
    await magic.getByLabel('Adresse e-mail').fill('marc@example.org');
    await magic.getByRole('button', { name: 'M’envoyer un lien de connexion' }).click();
    await page.getByText('un lien de connexion est en route').waitFor();

    const link = await linkIn('marc@example.org', '/magic/');
    const url = new URL(link);
    // Opening the link does not log in (mail scanners open links too): it asks to confirm.
    await page.goto(url.pathname);
    await page.getByRole('button', { name: 'Me connecter' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('link', { name: 'Profil' }).waitFor();

    await page.goto('/profile');
    expect(await page.locator('h1').textContent()).toBe('Votre profil');
    await page.getByLabel('Langue').selectOption('nl');
    await page.getByLabel('Nom affiché').fill('Marc D.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Profiel opgeslagen.').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Je profiel');
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    expect(await page.getByLabel('Weergavenaam').inputValue()).toBe('Marc D.');

    // The link worked once.
    await page.goto(url.pathname);
    await page.getByText('Deze link is al gebruikt').waitFor();
    await context.close();
  });

  it('logs in with a password and out again without JavaScript', async () => {
    const { page, context } = await e.newPage({ javaScriptEnabled: false, locale: 'fr-BE' });
    await page.goto('/profile');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/profile');
    const login = page.locator('form[action="?/login"]');
    await login.getByLabel('Adresse e-mail').fill('anne@example.org');
    await login.getByLabel('Mot de passe').fill('pas le bon mot de passe');
    await login.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('ne correspondent pas').waitFor();
    expect(await login.getByLabel('Adresse e-mail').inputValue()).toBe('anne@example.org');

    await login.getByLabel('Mot de passe').fill(PW);
    await login.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((u) => u.pathname === '/profile');
    expect(await page.locator('h1').textContent()).toBe('Votre profil');
    const cookie = (await context.cookies()).find((c) => c.name === 'ruche_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    // Administrators reach the outbox; the login mail sent above is listed there.
    await page.goto('/admin/outbox');
    expect(await page.locator('h1').textContent()).toBe('Courrier sortant');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.locator('header').getByRole('link', { name: 'Se connecter' }).waitFor();
    const res = await page.goto('/u/anne_admin');
    expect(res?.status()).toBe(404);
    await context.close();
  });

  it('uploads an avatar without JavaScript and shows it on the public profile', async () => {
    const { page, context } = await e.newPage({ javaScriptEnabled: false, locale: 'fr-BE' });
    await page.goto('/login');
    const login = page.locator('form[action="?/login"]');
    await login.getByLabel('Adresse e-mail').fill('anne@example.org');
    await login.getByLabel('Mot de passe').fill(PW);
    await login.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/profile');
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c08040' } }).png().toBuffer();
    await page.getByLabel(/Choisir une photo/).setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('button', { name: 'Envoyer la photo' }).click();
    await page.getByText('Photo mise à jour.').waitFor();
    await page.goto('/u/anne_admin');
    const img = page.getByRole('img', { name: 'Photo de Anne Admin' });
    const src = await img.getAttribute('src');
    expect(src).toMatch(/^\/files\/[0-9a-f-]+$/);
    const served = await page.request.get(src!);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toMatch(/^image\//);
    await context.close();
  });
});

describe('accounts JSON API', () => {
  it('logs in with JSON, creates a token, uses it, and hides admin pages from members', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(e.url + path, { method: 'POST', headers: { 'content-type': 'application/json', origin: e.url, ...headers }, body: JSON.stringify(body) });
    const bad = await post('/api/v1/session', { email: 'marc@example.org', password: 'wrong password' }, { 'accept-language': 'en' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_credentials');

    const ok = await post('/api/v1/session', { email: 'marc@example.org', password: PW });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    const created = await post('/api/v1/me/tokens', { name: 'script' }, { cookie });
    expect(created.status).toBe(201);
    const { token, id } = await created.json();
    expect(token).toMatch(/^ruche_/);

    const auth = { authorization: `Bearer ${token}` };
    const me = await fetch(e.url + '/api/v1/me', { headers: auth });
    expect(await me.json()).toMatchObject({ email: 'marc@example.org', isAdmin: false });
    const patched = await fetch(e.url + '/api/v1/me', { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ bio: 'Bees!', handle: 'x' }) });
    expect(patched.status).toBe(400);
    expect((await patched.json()).error.issues[0]).toMatchObject({ path: 'handle', code: 'handle' });
    expect((await fetch(e.url + '/api/v1/users/anne_admin', { headers: auth })).status).toBe(200);
    expect((await fetch(e.url + '/api/v1/users/anne_admin')).status).toBe(404);
    expect((await fetch(e.url + '/admin/users', { headers: { cookie } })).status).toBe(404);
    expect((await fetch(e.url + '/admin/outbox', { headers: { cookie } })).status).toBe(404);

    expect((await fetch(e.url + `/api/v1/me/tokens/${id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect((await fetch(e.url + '/api/v1/me', { headers: auth })).status).toBe(401);

    const doc = await (await fetch(e.url + '/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/me', '/me/tokens', '/me/tokens/{id}', '/users/{handle}', '/session']));
  });
});
