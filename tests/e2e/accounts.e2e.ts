import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { startE2E, type E2E } from './support';
import { hashSecret } from '../../src/lib/server/kernel/ids';

let e: E2E;
const PW = 'un mot de passe solide';

beforeAll(async () => {
  // As behind a reverse proxy: adapter-node reads these when its handler is first imported.
  process.env.ADDRESS_HEADER = 'X-Forwarded-For';
  process.env.XFF_DEPTH = '1';
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
  it('logs in with an emailed link back to the page asked for, then switches the interface to Dutch from the profile', async () => {
    const { page, context } = await e.newPage({ locale: 'fr-BE' });
    await page.goto('/profile/security');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/profile/security');
    const magic = page.locator('form[action="?/magic"]');
    await magic.getByLabel('Adresse e-mail').fill('marc@example.org');
    await magic.getByRole('button', { name: 'M’envoyer un lien de connexion' }).click();
    await page.getByText('un lien de connexion est en route').waitFor();

    const link = await linkIn('marc@example.org', '/magic/');
    const url = new URL(link);
    expect(url.searchParams.get('next')).toBe('/profile/security');
    // Opening the link does not log in (mail scanners open links too): it asks to confirm.
    await page.goto(url.pathname + url.search);
    await page.getByRole('button', { name: 'Me connecter' }).click();
    await page.waitForURL((u) => u.pathname === '/profile/security');
    await page.getByRole('link', { name: 'Profil' }).first().waitFor();

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
    await page.goto(url.pathname + url.search);
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

    await page.locator('header details > summary').click(); // the account menu
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

    const created = await post('/api/v1/me/tokens', { name: 'script', scope: 'write', expiresInDays: 30 }, { cookie });
    expect(created.status).toBe(201);
    const { token, id, scope, expiresAt } = await created.json();
    expect(token).toMatch(/^ruche_/);
    expect(scope).toBe('write');
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);

    const auth = { authorization: `Bearer ${token}` };
    // A token never mints another token, nor a session.
    const child = await post('/api/v1/me/tokens', { name: 'child' }, auth);
    expect(child.status).toBe(403);
    expect((await child.json()).error.code).toBe('token_cannot_create_token');
    const session = await post('/api/v1/session', { email: 'marc@example.org', password: PW }, auth);
    expect(session.status).toBe(403);
    expect((await session.json()).error.code).toBe('token_no_session');
    expect(session.headers.get('set-cookie')).toBeNull();
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
    // A revoked token answers 401 in JSON, on the API and on pages alike.
    for (const path of ['/api/v1/me', '/groups', '/api/v1/users/anne_admin']) {
      const r = await fetch(e.url + path, { headers: { ...auth, 'accept-language': 'en' } });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await r.json()).error).toMatchObject({ code: 'token_invalid', message: expect.stringContaining('revoked or expired') });
    }

    const doc = await (await fetch(e.url + '/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/me', '/me/tokens', '/me/tokens/{id}', '/me/sessions', '/users/{handle}', '/session']));

    // Log out everywhere over the API: the cookie's session and every token end.
    const again = await post('/api/v1/session', { email: 'marc@example.org', password: PW });
    const cookie2 = again.headers.get('set-cookie')!.split(';')[0];
    const t2 = (await (await post('/api/v1/me/tokens', { name: 'two', scope: 'read' }, { cookie: cookie2 })).json()).token;
    expect((await (await fetch(e.url + '/api/v1/me/sessions', { headers: { cookie: cookie2 } })).json()).items.some((x: { current: boolean }) => x.current)).toBe(true);
    expect((await fetch(e.url + '/api/v1/me/sessions', { method: 'DELETE', headers: { cookie: cookie2, origin: e.url } })).status).toBe(200);
    expect((await fetch(e.url + '/api/v1/me', { headers: { cookie: cookie2 } })).status).toBe(401);
    expect((await fetch(e.url + '/api/v1/me', { headers: { authorization: `Bearer ${t2}` } })).status).toBe(401);
  });
});

describe('token scopes over HTTP', () => {
  const json = (body: unknown, headers: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/json', origin: e.url, ...headers }, body: JSON.stringify(body) });
  async function tokenFor(email: string, scope: 'read' | 'write' | 'admin', expiresInDays: number | null = 90) {
    const login = await fetch(e.url + '/api/v1/session', json({ email, password: PW }, { 'x-forwarded-for': '192.0.2.200' }));
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const r = await fetch(e.url + '/api/v1/me/tokens', json({ name: `${scope} token`, scope, expiresInDays }, { cookie }));
    expect(r.status).toBe(201);
    return `Bearer ${(await r.json()).token}`;
  }

  it('lets a read token read only, and keeps administration for admin tokens', async () => {
    const read = await tokenFor('marc@example.org', 'read');
    expect((await fetch(e.url + '/api/v1/me', { headers: { authorization: read } })).status).toBe(200);
    expect((await fetch(e.url + '/api/v1/me', { method: 'HEAD', headers: { authorization: read } })).status).toBe(200);
    const patch = await fetch(e.url + '/api/v1/me', { method: 'PATCH', headers: { authorization: read, 'content-type': 'application/json', 'accept-language': 'nl' }, body: JSON.stringify({ bio: 'x' }) });
    expect(patch.status).toBe(403);
    expect(patch.headers.get('www-authenticate')).toMatch(/insufficient_scope/);
    expect((await patch.json()).error).toMatchObject({ code: 'token_read_only' });
    // A form post with a read token is refused before any action runs.
    const form = await fetch(e.url + '/profile?/save', { method: 'POST', headers: { authorization: read, origin: e.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Hacked' });
    expect(form.status).toBe(403);
    expect((await (await fetch(e.url + '/api/v1/me', { headers: { authorization: read } })).json()).name).not.toBe('Hacked');

    // An expired token answers 401 like a revoked one.
    const old = await tokenFor('marc@example.org', 'read', 30);
    await e.running.app.db.updateTable('accessTokens').set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where('tokenHash', '=', hashSecret(old.slice('Bearer '.length))).execute();
    const expired = await fetch(e.url + '/api/v1/me', { headers: { authorization: old } });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.code).toBe('token_invalid');

    const write = await tokenFor('anne@example.org', 'write');
    const admin = await tokenFor('anne@example.org', 'admin');
    expect((await fetch(e.url + '/admin/users', { headers: { authorization: write } })).status).toBe(404);
    expect((await fetch(e.url + '/admin/users', { headers: { authorization: admin } })).status).toBe(200);
    // A member cannot create an admin token.
    const login = await fetch(e.url + '/api/v1/session', json({ email: 'marc@example.org', password: PW }, { 'x-forwarded-for': '192.0.2.200' }));
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const refused = await fetch(e.url + '/api/v1/me/tokens', json({ name: 'x', scope: 'admin' }, { cookie }));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.issues[0]).toMatchObject({ path: 'scope', code: 'token_scope_admin' });
  });
});

describe('login throttles behind a proxy', () => {
  const attempt = (email: string, password: string, from: string, extra: Record<string, string> = {}) =>
    fetch(e.url + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: e.url, 'x-forwarded-for': from, 'accept-language': 'fr', ...extra }, body: JSON.stringify({ email, password }) });

  it('slows the attacker’s address, not the owner’s, reading the address the proxy appended', async () => {
    await e.running.app.instance.get();
    const email = 'marc@example.org';
    for (let i = 0; i < 3; i++) expect((await attempt(email, 'pas le bon mot de passe', '6.6.6.6, 203.0.113.77')).status).toBe(400);
    const slowed = await attempt(email, PW, '9.9.9.9, 203.0.113.77');
    expect(slowed.status).toBe(429);
    expect((await slowed.json()).error.message).toMatch(/Attendez \d+ secondes?/);
    // The left-most X-Forwarded-For entry is the client's own claim: changing it changes nothing.
    expect((await attempt(email, PW, '1.2.3.4, 203.0.113.77')).status).toBe(429);
    // The owner, elsewhere: in at once, with a known-device cookie for next time.
    const ok = await attempt(email, PW, '198.51.100.20');
    expect(ok.status).toBe(200);
    expect(ok.headers.getSetCookie().find((c) => c.startsWith('ruche_device='))).toMatch(/HttpOnly/i);
  });
});

describe('redirects stay on this site', () => {
  const hostile = ['//evil.example/', '/\\evil.example', 'https:evil.example', '/\t/evil.example', '/%2F%2Fevil.example', 'https://evil.example/', '/.//evil.example'];

  it('after logging in, and for a signed-in visit to /login', async () => {
    for (const next of hostile) {
      const r = await fetch(e.url + '/login?/login', {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: e.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.201' },
        body: new URLSearchParams({ email: 'anne@example.org', password: PW, next }).toString(),
      });
      expect([r.status, r.headers.get('location')]).toEqual([303, '/']);
      const cookie = r.headers.getSetCookie().find((c) => c.startsWith('ruche_session='))!.split(';')[0];
      const again = await fetch(e.url + `/login?next=${encodeURIComponent(next)}`, { redirect: 'manual', headers: { cookie } });
      expect([again.status, again.headers.get('location')]).toEqual([303, '/']);
    }
    const fine = await fetch(e.url + '/login?/login', {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: e.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.201' },
      body: new URLSearchParams({ email: 'anne@example.org', password: PW, next: '/groups?tab=mine' }).toString(),
    });
    expect([fine.status, fine.headers.get('location'), fine.status === 303 ? '' : await fine.text()]).toEqual([303, '/groups?tab=mine', '']);
  });

  it('after switching the language', async () => {
    for (const next of hostile) {
      const r = await fetch(e.url + '/language', { method: 'POST', redirect: 'manual', headers: { origin: e.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ locale: 'nl', next }).toString() });
      expect([r.status, r.headers.get('location')]).toEqual([303, '/']);
    }
  });
});

describe('profile: tokens under Advanced, log out everywhere', () => {
  it('creates a scoped token without JavaScript, lists it, and ends everything from the security page', async () => {
    const app = e.running.app;
    await app.db.transaction().execute((tx) => app.accounts.registerWithInvitation(tx, { email: 'lea@example.org', name: 'Léa', password: PW, locale: 'fr' }));
    const { page, context } = await e.newPage({ javaScriptEnabled: false, locale: 'fr-BE' });
    await page.goto('/login');
    const login = page.locator('form[action="?/login"]');
    await login.getByLabel('Adresse e-mail').fill('lea@example.org');
    await login.getByLabel('Mot de passe').fill(PW);
    await login.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((u) => u.pathname === '/');

    await page.goto('/profile/tokens');
    await page.waitForURL((u) => u.pathname === '/profile/advanced');
    expect(await page.locator('h1').textContent()).toBe('Avancé');
    await page.getByRole('heading', { name: 'Jetons d’API' }).waitFor();
    await page.getByRole('link', { name: 'Avancé' }).waitFor();
    // Members see read and write; only administrators see the admin scope.
    expect(await page.getByRole('radio').count()).toBe(2);
    await page.getByLabel('Nom du jeton').fill('agenda');
    await page.getByRole('radio', { name: /Écriture :/ }).check();
    await page.getByLabel('Expire').selectOption('never');
    await page.getByRole('button', { name: 'Créer un jeton' }).click();
    const secret = (await page.locator('code.secret').textContent())!;
    expect(secret).toMatch(/^ruche_/);
    const item = page.locator('ul.tokens li', { hasText: 'agenda' });
    await item.getByText('écriture').waitFor();
    await item.getByText('n’expire jamais').waitFor();
    expect((await fetch(e.url + '/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);

    await page.goto('/profile/security');
    await page.getByRole('button', { name: 'Me déconnecter partout' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    await page.getByText('Vous avez été déconnecté·e partout').waitFor();
    expect((await fetch(e.url + '/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
    await page.goto('/profile');
    await page.waitForURL((u) => u.pathname === '/login');
    await context.close();
  });
});
