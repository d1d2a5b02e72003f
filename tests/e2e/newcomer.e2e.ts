/**
 * The whole journey of the foundation, in the browser: a newcomer receives an invitation,
 * signs up, joins a working group, opens a discussion, is mentioned, comments, and another
 * member sees the unread count change. Runs on the demo association.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { loadDemo } from '../../src/cli/demo';
import { demoPassword } from '../../src/cli/demo-data';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.running.app, () => {});
});
afterAll(async () => {
  await e?.close();
});

async function logIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel(/e-mail/i).first().fill(email);
  await page.getByLabel(/^Mot de passe/).fill(demoPassword);
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
const badge = async (page: Page, slug: string) => {
  await page.goto('/');
  return (await page.locator(`[data-group="${slug}"]`).textContent())?.trim();
};

describe('a newcomer joins and takes part', () => {
  it('invitation → sign-up → working group → discussion → mention → comment → unread for another member', async () => {
    // Camille, administrator, invites Noa to the "Marchés" working group.
    const admin = await e.newPage();
    await logIn(admin.page, 'camille@demo.ruche.local');
    await admin.page.goto('/groups/marches/invite');
    await admin.page.getByLabel(/^Adresses e-mail/).fill('noa@example.org');
    await admin.page.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await admin.page.getByRole('cell', { name: 'noa@example.org', exact: true }).waitFor();
    const mail = e.mailbox.sent.find((m) => m.to === 'noa@example.org');
    expect(mail?.subject).toMatch(/Marchés/);
    const link = mail!.text.match(/https?:\/\/\S+\/invite\/\S+/)![0];

    // Amina, a member of the working group, has read everything there.
    const amina = await e.newPage();
    await logIn(amina.page, 'amina@demo.ruche.local');
    await amina.page.goto('/groups/marches/discussions');
    // Wait for the answer (with or without the page's scripts) before leaving the page.
    await Promise.all([amina.page.waitForResponse((r) => r.url().includes('markAllRead') && r.request().method() === 'POST'), amina.page.getByRole('button', { name: 'Tout marquer comme lu' }).click()]);
    expect(await badge(amina.page, 'marches')).toMatch(/rien de neuf/);

    // Noa opens the link, signs up, and lands in the working group.
    const noa = await e.newPage();
    await noa.page.goto(link);
    await noa.page.getByLabel('Votre nom').fill('Noa Peeters');
    await noa.page.getByLabel(/^Mot de passe/).fill('un mot de passe de Noa');
    await noa.page.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click();
    await noa.page.getByText('Vous êtes membre de ce groupe.').waitFor();
    expect(noa.page.url()).toContain('/groups/marches');

    // Noa opens a discussion from the group page (the welcome names the latest one).
    await noa.page.locator('.welcome').getByRole('link', { name: 'Planning des stands — marché de Saint-Gilles' }).click();
    await noa.page.waitForURL(/\/d\//);
    const discussionUrl = noa.page.url();

    // Amina mentions Noa.
    await amina.page.goto(discussionUrl);
    await amina.page.getByLabel(/^Votre réponse/).fill('Bienvenue @noa_peeters ! Tu peux tenir le stand avec nous ?');
    await amina.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await amina.page.locator('.comment', { hasText: 'Bienvenue' }).waitFor();
    expect(await badge(amina.page, 'marches')).toMatch(/rien de neuf/);

    // Noa sees the mention on the home page, follows it and answers.
    await noa.page.goto('/');
    await noa.page.locator('#h-mentions + ul').getByText('Amina Diallo vous a mentionné·e dans').waitFor();
    await noa.page.locator('#h-mentions + ul').getByRole('link').first().click();
    await noa.page.waitForURL(/\/d\//);
    await noa.page.getByLabel(/^Votre réponse/).fill('Avec plaisir, le 14 décembre !');
    await noa.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await noa.page.locator('.comment', { hasText: 'le 14 décembre' }).waitFor();

    // Amina's home now shows one new item in the working group.
    expect(await badge(amina.page, 'marches')).toMatch(/1 nouveau/);
    for (const p of [admin, amina, noa]) await p.context.close();
  });
});
