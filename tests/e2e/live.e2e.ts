import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;
let bob: Awaited<ReturnType<typeof chatUser>>;
let group: { id: string; slug: string };

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'en', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'en' });
  bob = await chatUser(app, { name: 'Bob Janssens', locale: 'en' });
  group = await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { name: 'Market Team' });
});
afterAll(async () => {
  await e?.close();
});

const signIn = (context: BrowserContext, userId: string) => e.signIn(context, userId);

describe('live discussion pages', () => {
  it('the home page count rises and a discussion shows new comments without reloading, keeping what is being typed', async () => {
    const app = e.running.app;
    const d = await app.discussions.create(await anne.actor(), { groupSlug: group.slug, title: 'Stand on Saturday', body: 'Who comes?' });
    const a = await e.newPage({ locale: 'en-GB' });
    const b = await e.newPage({ locale: 'en-GB' });
    await signIn(a.context, anne.id);
    await signIn(b.context, bob.id);

    // Bob reads the discussion, then sits on the home page: nothing new.
    await b.page.goto(`/d/${d.id}`);
    await b.page.goto('/');
    const row = b.page.locator(`li[data-group="${group.slug}"]`);
    await row.waitFor();
    expect(await row.locator('.badge').count()).toBe(0);
    await b.page.locator('[data-live="watching"]').waitFor({ state: 'attached' });
    await b.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await app.discussions.reply(await anne.actor(), { discussionId: d.id, body: 'I bring the tent' });
    await row.locator('.badge', { hasText: '1 new' }).waitFor();
    expect(await b.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // Bob opens the discussion and starts a reply; Anne comments from her browser.
    await b.page.goto(`/d/${d.id}`);
    await b.page.locator('[data-live="watching"]').waitFor({ state: 'attached' });
    const box = b.page.getByLabel('Your reply');
    await box.fill('Great, I bring');
    await b.page.getByText('Draft saved').waitFor(); // the saved draft now differs from what follows
    await box.pressSequentially(' the flyers');
    await b.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    await a.page.goto(`/d/${d.id}`);
    await a.page.getByLabel('Your reply').fill('See you at **9:00**');
    await a.page.getByRole('button', { name: 'Send the reply' }).click();
    await a.page.locator('.comment strong', { hasText: '9:00' }).waitFor();

    await b.page.locator('.comment strong', { hasText: '9:00' }).waitFor();
    expect(await b.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await box.inputValue()).toBe('Great, I bring the flyers');
    // The page was visible: the refresh read the new comment for Bob.
    const m = await app.db.selectFrom('memberships').select('unreadCount').where('groupId', '=', group.id).where('userId', '=', bob.id).executeTakeFirstOrThrow();
    expect(Number(m.unreadCount)).toBe(0);
    await a.context.close();
    await b.context.close();
  });
});
