import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { dayAfter, makeDatePoll, makeDecideCircle, optionsOf } from '../../../../../tests/support/decide-factories';
import { pendingMails } from '../../../../../tests/support/email-factories';

const HOUR = 3_600_000;

describe.each(engines)('deciding in the digest on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());
  const digestOf = async (email: string) => (await pendingMails(app)).filter((m) => m.to === email && m.messageId.startsWith('<digest-'));

  it('new polls and proposals, polls closing without my answer, new events and decisions, in my language; not what I made myself', async () => {
    // Anne reads her mail once a day, at 08:00 (Thursday 15 January, 10:00 UTC now).
    await app.email.saveSettings(c.anne.actor, { level: 'daily', digestHour: 8, digestWeekday: 1 });
    const datePoll = await makeDatePoll(app, c.bert.actor, c.g.slug, { title: 'Date de l’assemblée', deadlineDate: dayAfter(app, 2) });
    await app.decide.createPoll(c.bert.actor, { groupSlug: c.g.slug, kind: 'proposal', title: 'Adopter le budget', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 10) });
    await app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'Marché de février', timeZone: 'Europe/Brussels', startDate: dayAfter(app, 5), startTime: '09:00', endTime: '13:00' });
    const charter = await app.decide.createPoll(c.admin.actor, { groupSlug: c.g.slug, kind: 'proposal', title: 'Adopter la charte', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 3) });
    await app.decide.close(c.admin.actor, { pollId: charter.id, outcome: 'La charte est adoptée.' });
    await app.decide.createChoicePoll(c.anne.actor, { groupSlug: c.g.slug, title: 'Couleur du stand d’Anne', timeZone: 'Europe/Brussels', options: ['Jaune', 'Vert'], deadlineDate: dayAfter(app, 5) });
    app.clock.advance(21 * HOUR + 60_000); // Friday 08:01 in Brussels
    expect(await app.email.digests.scheduleDue()).toBe(1);
    await app.jobs.runDue();
    const [mail] = await digestOf(c.emails.anne);
    expect(mail.text).toContain('Date de l’assemblée');
    expect(mail.text).toContain(`/polls/${datePoll.id}`);
    expect(mail.text).toMatch(/Le sondage de dates se clôt le .*: vous n’avez pas répondu/);
    expect(mail.text).toMatch(/Adopter le budget[\s\S]*Proposition\s: ouverte jusqu’au/);
    expect(mail.text).toMatch(/Marché de février[\s\S]*Événement\s: /);
    expect(mail.text).toMatch(/Adopter la charte[\s\S]*Décidé le /);
    expect(mail.text).not.toContain('Couleur du stand d’Anne');

    // The next morning: nothing new, but the date poll closes tonight and Anne has not answered.
    app.clock.advance(24 * HOUR);
    expect(await app.email.digests.build({ userId: c.anne.id, at: app.clock.now().toISOString() })).toBe(true);
    expect((await digestOf(c.emails.anne)).at(-1)!.text).toMatch(/Le sondage de dates se clôt le/);
    // Once she answered, it is no longer news.
    await app.decide.answerDatePoll(c.anne.actor, { pollId: datePoll.id, answers: { [(await optionsOf(app, datePoll.id))[0].id]: 'yes' } });
    app.clock.advance(HOUR);
    expect(await app.email.digests.build({ userId: c.anne.id, at: app.clock.now().toISOString() })).toBe(false);
  });

  it('nothing from groups I am not in', async () => {
    await app.email.saveSettings(c.outsider.actor, { level: 'daily', digestHour: 8, digestWeekday: 1 });
    await makeDatePoll(app, c.bert.actor, c.g.slug, { title: 'Date secrète', deadlineDate: dayAfter(app, 1) });
    app.clock.advance(21 * HOUR + 60_000);
    await app.email.digests.scheduleDue();
    await app.jobs.runDue();
    expect(await digestOf(c.emails.outsider)).toEqual([]);
  });
});
