import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

/*
 * A member on a slow phone types (and sends) before the page's scripts have started. Here the
 * root layout's module, which hydration cannot start without, is held back until the test
 * lets it go, so what is typed before and sent after hydration happens in that order every
 * time.
 */

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

/** The association and its admin, made by the first journey or, if it stopped early, here. */
async function anneAdmin(): Promise<string> {
  const app = e.running.app;
  const find = () => app.db.selectFrom('users').select('id').where('email', '=', 'anne@example.org').executeTakeFirst();
  if (!(await find())) await app.instance.setup({ associationName: 'Zinne Brussel', name: 'Anne Peeters', email: 'anne@example.org', password: 'een lang wachtwoord', locale: 'nl' });
  return (await find())!.id;
}

/** Holds the root layout's module until `release()`; later pages get it at once. */
async function holdScripts(page: Page): Promise<{ release: () => void; held: () => number }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let held = 0;
  await page.route('**/_app/immutable/nodes/0.*', async (route) => {
    try {
      const res = await route.fetch();
      held++;
      await gate;
      await route.fulfill({ response: res });
    } catch {
      // the page was closed meanwhile
    }
  });
  return { release, held: () => held };
}

/** Waits until Svelte has hydrated `field` (it keeps the attributes it set on the element). */
async function hydrated(field: Locator) {
  await field.evaluate((el) => new Promise<void>((resolve) => {
    const done = () => Object.getOwnPropertySymbols(el).some((s) => s.description === 'attributes');
    const check = () => (done() ? resolve() : setTimeout(check, 20));
    check();
  }));
}

describe('typing before the scripts have started', () => {
  it('first run: what was typed before hydration is still there after it, and sent; sent before it, the server answers', async () => {
    const { page } = await e.newPage({ locale: 'nl-BE' });
    const scripts = await holdScripts(page);
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByLabel('Naam van de vereniging').fill('Zinne Brussel');
    await page.getByLabel('Je naam').fill('Anne Peeters');
    await page.getByLabel('Je e-mailadres').fill('anne@example.org');
    await page.getByLabel(/^Wachtwoord/).fill('kort');
    expect(scripts.held()).toBe(1);
    scripts.release();
    await hydrated(page.getByLabel('Je naam'));
    expect(await page.getByLabel('Naam van de vereniging').inputValue()).toBe('Zinne Brussel');
    expect(await page.getByLabel('Je naam').inputValue()).toBe('Anne Peeters');
    expect(await page.getByLabel(/^Wachtwoord/).inputValue()).toBe('kort');
    await page.getByRole('button', { name: 'Vereniging aanmaken' }).click();
    await page.getByText('Minstens 10 tekens.').waitFor();
    expect(await page.getByLabel('Je e-mailadres').inputValue()).toBe('anne@example.org');

    // Typed and sent before the scripts start: the browser posts the form, the server answers.
    const { page: slow } = await e.newPage({ locale: 'nl-BE' });
    const held = await holdScripts(slow);
    await slow.goto('/setup');
    await slow.getByLabel(/^Wachtwoord/).fill('een lang wachtwoord');
    await slow.getByLabel('Je naam').fill('Anne Peeters');
    await slow.getByLabel('Naam van de vereniging').fill('Zinne Brussel');
    await slow.getByLabel('Je e-mailadres').fill('anne@example.org');
    await slow.getByRole('button', { name: 'Vereniging aanmaken' }).click();
    await slow.waitForURL((u) => !u.pathname.startsWith('/setup'));
    held.release();
    await slow.locator('a.brand').first().waitFor();
    expect(await slow.locator('a.brand').first().textContent()).toBe('Zinne Brussel');
    await page.context().close();
    await slow.context().close();
  });

  it('the login link form: an address typed before hydration is sent by the enhanced form after it', async () => {
    await anneAdmin();
    const { page, context } = await e.newPage({ locale: 'fr-BE' });
    const scripts = await holdScripts(page);
    await page.goto('/login');
    const magic = page.locator('form[action="?/magic"]');
    await magic.getByLabel('Adresse e-mail').fill('anne@example.org');
    scripts.release();
    await hydrated(magic.getByLabel('Adresse e-mail'));
    expect(await magic.getByLabel('Adresse e-mail').inputValue()).toBe('anne@example.org');
    const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().includes('/magic'));
    await magic.getByRole('button', { name: 'M’envoyer un lien de connexion' }).click();
    const request = await posted;
    // Sent by the page's script (no page load), with the address the member typed.
    expect(request.resourceType()).toBe('fetch');
    expect(request.postData()).toContain('anne%40example.org');
    await page.getByText('un lien de connexion est en route').waitFor();
    await context.close();
  });

  it('the page carries its own texts, in its language only, and no dictionary file is fetched', async () => {
    const html = await (await fetch(`${e.url}/login`, { headers: { 'accept-language': 'nl-BE,nl' } })).text();
    // The skip link's text, needed by every page, travels in the page's data…
    expect(html).toContain('"nav.skip":"Naar de inhoud"');
    // …in the member's language only, and without the texts of other pages (the chat's, the mails').
    expect(html).not.toContain('Skip to content');
    expect(html).not.toContain('"chat.empty"');
    expect(html).not.toContain('"email.');

    const { page, context } = await e.newPage({ locale: 'nl-BE' });
    const scripts: string[] = [];
    page.on('response', async (r) => {
      if (r.request().resourceType() === 'script') scripts.push(await r.text());
    });
    await page.goto('/login');
    await hydrated(page.locator('form[action="?/magic"]').getByLabel('E-mailadres'));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => s.includes('Naar de inhoud'))).toEqual([]);
    await context.close();
  });

  it('the profile: a language chosen and a name typed before hydration are kept and saved', async () => {
    const app = e.running.app;
    const anne = await anneAdmin();
    await app.db.updateTable('users').set({ locale: 'en' }).where('id', '=', anne).execute();
    const { page, context } = await e.newPage({ locale: 'fr-BE' });
    await e.signIn(context, anne);
    await page.goto('/profile');
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();

    const scripts = await holdScripts(page);
    await page.reload();
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.getByLabel('Display name').fill('Anne P.');
    scripts.release();
    await hydrated(page.getByLabel('Display name'));
    expect(await page.getByLabel('Language', { exact: true }).inputValue()).toBe('nl');
    expect(await page.getByLabel('Display name').inputValue()).toBe('Anne P.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Profiel opgeslagen.').waitFor();
    expect(await page.getByLabel('Weergavenaam').inputValue()).toBe('Anne P.');
    await context.close();
  });

  it('a reply typed before hydration is saved as a draft once the page has started, and is there on coming back', async () => {
    await anneAdmin();
    const app = e.running.app;
    const bert = await chatUser(app, { name: 'Bert Janssens', locale: 'en' });
    const slug = (await chatGroup(app, [{ id: bert.id }], { name: 'Repair Café' })).slug;
    const id = (await app.discussions.create(await bert.actor(), { groupSlug: slug, title: 'Tools to bring', body: 'Who has a soldering iron?' })).id;
    const { page, context } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, bert.id);
    const scripts = await holdScripts(page);
    await page.goto(`/d/${id}`);
    const reply = page.getByRole('textbox', { name: /^Your reply/ });
    await reply.fill('I bring mine, typed early');
    scripts.release();
    await hydrated(reply);
    await page.getByText('Draft saved.').waitFor();
    await page.goto('/');
    await page.goto(`/d/${id}`);
    expect(await reply.inputValue()).toBe('I bring mine, typed early');
    await context.close();
  });
});
