/**
 * Deciding and meeting, end to end: a coordinator finds a date with a date poll (three people
 * answer: a member with JavaScript, one without, and a guest without an account through the
 * shared link), closes it into an event that invites them; members say whether they come
 * (one from the invitation mail's button) and find the event in their private calendar feed;
 * a proposal is decided and lands in the searchable decision log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { addMember, chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
type Member = Awaited<ReturnType<typeof chatUser>>;
let cora: Member;
let ben: Member;
let dora: Member;
let group: { id: string; slug: string };

/** A local date `days` from today (Brussels is at most a day away from UTC: far enough ahead, it is in the future there too). */
const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Waits for a mail to `to` whose text matches, as the job runner delivers it. */
async function mailTo(to: string, match: RegExp) {
  for (let i = 0; i < 600; i++) {
    const m = e.mailbox.sent.find((x) => x.to === to && match.test(x.text));
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to} matching ${match}`);
}

/** One journey drives five browsers: on a busy machine it takes longer than a single page's test. */
const JOURNEY_MS = 150_000;

/** A browser page that fails within seconds, naming what it waited for, rather than at the test's timeout. */
async function open(opts: Parameters<E2E['newPage']>[0] = {}) {
  const p = await e.newPage(opts);
  p.page.setDefaultTimeout(20_000);
  return p;
}

/** Opens a page and waits until its scripts have run: typing into a form before hydration could be undone by it. */
const go = (page: Page, url: string) => page.goto(url, { waitUntil: 'networkidle' });

/** Submits a form by its button and waits for the page the server answers with. */
async function submit(page: Page, name: string | RegExp) {
  await Promise.all([page.waitForLoadState('load'), page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name, exact: typeof name === 'string' }).click()]);
}

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'en', createdAt: new Date().toISOString() }).execute();
  cora = await chatUser(app, { name: 'Cora Coordinator', locale: 'en' });
  ben = await chatUser(app, { name: 'Ben Member', locale: 'en' });
  dora = await chatUser(app, { name: 'Dora Membre', locale: 'fr' });
  group = await chatGroup(app, [{ id: cora.id, role: 'admin' }], { name: 'Coordination' });
  for (const m of [ben, dora]) await addMember(app, group.id, m.id);
});
afterAll(async () => {
  await e?.close();
});

describe('deciding and meeting', () => {
  it('a date poll answered by members and a guest becomes an event; members RSVP (one from the mail) and find it in their feed', async () => {
    const app = e.running.app;
    const [day1, day2] = [ahead(10), ahead(12)];

    // The coordinator lets guests answer the group's date polls, then proposes two evenings.
    const coordinator = await open({ locale: 'en-GB' });
    await e.signIn(coordinator.context, cora.id);
    const c = coordinator.page;
    await c.goto(`/groups/${group.slug}`);
    await c.getByRole('link', { name: 'Decisions' }).waitFor();
    await c.getByRole('link', { name: 'Polls' }).click();
    await submit(c, 'Allow guests');
    await c.getByText('Guests may answer this group’s date polls.').waitFor();
    await go(c, `/groups/${group.slug}/polls/new?kind=date`);
    await c.getByLabel('Question').fill('Regional coordination meeting');
    await c.getByLabel('Day 1').fill(day1);
    await c.getByLabel('Start').first().fill('19:00');
    await c.getByLabel('End').first().fill('21:00');
    await c.getByLabel('Day 2').fill(day2);
    await c.getByLabel('Start').nth(1).fill('19:00');
    await c.getByLabel('End').nth(1).fill('21:00');
    await c.getByLabel('People without an account may answer through a shared link').check();
    await Promise.all([c.waitForURL(/\/polls\/[0-9a-f-]{36}$/), c.getByRole('button', { name: 'Create' }).click()]);
    const pollId = c.url().split('/').pop()!;
    const [o1, o2] = (await app.db.selectFrom('pollOptions').select('id').where('pollId', '=', pollId).orderBy('position').execute()).map((o) => o.id);
    const guestLink = await c.getByLabel('Link for guests').inputValue();

    // Ben answers with JavaScript, on a phone: the answers so far come first, then his own, one date after another.
    const b = await open({ locale: 'en-GB' });
    await b.page.setViewportSize({ width: 390, height: 844 });
    await e.signIn(b.context, ben.id);
    await go(b.page, `/polls/${pollId}`);
    await b.page.locator(`input[name="answer.${o1}"][value="yes"]`).check();
    await b.page.locator(`input[name="answer.${o2}"][value="maybe"]`).check();
    await submit(b.page, 'Send my answer');
    await b.page.getByText('Your answer is saved', { exact: false }).waitFor();

    // Dora answers without JavaScript (plain radio buttons), in French.
    const d = await open({ javaScriptEnabled: false });
    await e.signIn(d.context, dora.id);
    await d.page.goto(`/polls/${pollId}`);
    await d.page.locator(`input[name="answer.${o1}"][value="yes"]`).check();
    await d.page.locator(`input[name="answer.${o2}"][value="no"]`).check();
    await d.page.getByLabel('Commentaire (facultatif)').fill('Le jeudi je garde ma fille.');
    await submit(d.page, 'Envoyer ma réponse');
    await d.page.getByRole('button', { name: 'Changer ma réponse' }).waitFor();

    // A guest without an account answers through the shared link, in Dutch, then changes the answer from the same browser.
    const g = await open({ locale: 'nl-BE' });
    await go(g.page, guestLink);
    await g.page.getByLabel('Je naam').fill('Gust Gast');
    await g.page.locator(`input[name="answer.${o1}"][value="maybe"]`).check();
    await g.page.locator(`input[name="answer.${o2}"][value="yes"]`).check();
    await submit(g.page, /Mijn antwoord versturen/);
    await g.page.getByText('Gust Gast', { exact: false }).first().waitFor();
    await go(g.page, guestLink);
    await g.page.getByRole('button', { name: /Mijn antwoord wijzigen/ }).waitFor();
    await g.page.locator(`input[name="answer.${o1}"][value="yes"]`).check();
    await submit(g.page, /Mijn antwoord wijzigen/);
    expect(await app.db.selectFrom('pollParticipants').select('id').where('pollId', '=', pollId).where('userId', 'is', null).execute()).toHaveLength(1);

    // The grid: three people, the first evening best (three yes); the coordinator closes on it.
    await c.reload({ waitUntil: 'networkidle' });
    const best = c.locator('thead th.best');
    await best.filter({ hasText: '✓ 3' }).waitFor();
    expect(await c.locator('table.grid tbody tr:not(.mine)').count()).toBe(3);
    await c.getByRole('radio', { checked: true, name: /✓ 3/ }).waitFor();
    await Promise.all([c.waitForURL(/\/events\/[0-9a-f-]{36}\?created=1$/), c.getByRole('button', { name: 'Choose this date and invite' }).click()]);
    const eventId = new URL(c.url()).pathname.split('/').pop()!;
    await c.getByRole('heading', { name: 'Regional coordination meeting' }).waitFor();

    // Ben says he comes, on the event page.
    await b.page.goto(`/events/${eventId}`);
    await submit(b.page, 'I’m coming');
    await b.page.getByRole('button', { name: 'I’m coming', pressed: true }).waitFor();

    // Dora answers from her invitation mail: the link shows, the button answers (without JavaScript).
    const invitation = await mailTo(`${dora.handle}@example.org`, new RegExp(`/events/${eventId}/from-mail`));
    expect(invitation.attachments?.find((a) => a.method === 'REQUEST')?.content).toContain(`UID:${eventId}@`);
    const link = invitation.text.match(new RegExp(`https?://[^\\s<>]+/events/${eventId}/from-mail\\?a=maybe&t=[^\\s<>)\\]]+`))![0];
    const fresh = await open({ javaScriptEnabled: false });
    await fresh.page.goto(link);
    expect(await app.db.selectFrom('eventRsvps').select('answer').where('userId', '=', dora.id).execute()).toEqual([]);
    await submit(fresh.page, 'Peut-être');
    await fresh.page.getByText('Votre réponse est enregistrée', { exact: false }).waitFor();

    // Counts and people on the event page.
    await c.reload();
    await c.getByText('1 coming · ~ 1 maybe', { exact: false }).waitFor();

    // Dora finds the event in her private calendar feed.
    await d.page.goto('/calendar');
    const feedUrl = await d.page.getByLabel('Adresse de mon calendrier').inputValue();
    const feed = await d.page.request.get(feedUrl);
    expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    const vevents = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent');
    const ev = vevents.find((x) => x.getFirstPropertyValue('uid') === `${eventId}@${app.config.mailDomain}`)!;
    expect(ev.getFirstPropertyValue('summary')).toBe('Regional coordination meeting');
    expect(ev.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Brussels');
    expect(String(ev.getFirstPropertyValue('dtstart'))).toBe(`${day1}T19:00:00`);
    for (const p of [coordinator, b, d, g, fresh]) await p.context.close();
  }, JOURNEY_MS);

  it('a proposal is decided by consent and appears in the searchable decision log', async () => {
    const coordinator = await open({ locale: 'en-GB' });
    await e.signIn(coordinator.context, cora.id);
    const c = coordinator.page;
    await go(c, `/groups/${group.slug}/polls/new?kind=proposal`);
    await c.getByLabel('The proposal, in one sentence').fill('Lower the conversion fee to 2 %');
    await c.getByLabel('Day', { exact: true }).fill(ahead(5));
    await Promise.all([c.waitForURL(/\/polls\/[0-9a-f-]{36}$/), c.getByRole('button', { name: 'Create' }).click()]);
    const url = c.url();

    // Ben blocks without a reason: refused, with the reason asked for; he agrees instead.
    const b = await open({ locale: 'en-GB' });
    await e.signIn(b.context, ben.id);
    await go(b.page, url);
    await b.page.getByRole('radio', { name: /Block/ }).check();
    await submit(b.page, 'Give my position');
    await b.page.getByText('Say why you block', { exact: false }).first().waitFor();
    await b.page.getByRole('radio', { name: /Agree/ }).check();
    await b.page.getByLabel('Your reason').fill('The guarantee fund allows it.');
    await submit(b.page, 'Give my position');
    await b.page.getByText('The guarantee fund allows it.').waitFor();

    await c.reload({ waitUntil: 'networkidle' });
    await c.getByLabel('What was decided').fill('Adopted: the conversion fee becomes 2 % next month.');
    await submit(c, 'Close and record the outcome');
    await c.getByText('Closed. The decision is in the group’s decision log.').waitFor();

    // The decision log shows it, newest first, and finds it by a word of its statement (stems: "adopt").
    await go(c, `/groups/${group.slug}/decisions`);
    await c.getByRole('link', { name: 'Lower the conversion fee to 2 %' }).waitFor();
    await c.getByLabel('Search the decisions').fill('adopting');
    await Promise.all([c.waitForURL(/q=adopting/), c.getByRole('button', { name: 'Search' }).click()]);
    await c.locator('mark').first().waitFor();
    await c.getByRole('link', { name: 'Lower the conversion fee to 2 %' }).click();
    await c.waitForURL(url);
    for (const p of [coordinator, b]) await p.context.close();
  }, JOURNEY_MS);
});
