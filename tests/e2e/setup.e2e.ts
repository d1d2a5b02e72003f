import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

describe('first run', () => {
  it('shows errors next to the field, then creates the association and its admin', async () => {
    const { page } = await e.newPage({ locale: 'nl-BE' });
    await page.goto('/');
    expect(await page.locator('h1').textContent()).toMatch(/Welkom/);
    await page.getByLabel('Naam van de vereniging').fill('Zinne Brussel');
    await page.getByLabel('Je naam').fill('Anne Peeters');
    await page.getByLabel('Je e-mailadres').fill('anne@example.org');
    await page.getByLabel(/^Wachtwoord/).fill('kort');
    await page.getByRole('button', { name: 'Vereniging aanmaken' }).click();
    await page.getByText('Minstens 10 tekens.').waitFor();
    expect(await page.getByLabel('Je naam').inputValue()).toBe('Anne Peeters');
    await page.getByLabel(/^Wachtwoord/).fill('een lang wachtwoord');
    await page.getByRole('button', { name: 'Vereniging aanmaken' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    expect(await page.locator('a.brand').first().textContent()).toBe('Zinne Brussel');
  });
});
