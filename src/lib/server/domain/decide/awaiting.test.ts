import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { dayAfter, makeDatePoll, makeDecideCircle, optionsOf } from '../../../../../tests/support/decide-factories';

describe.each(engines)('what waits for my answer on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  it('open polls I have not answered (nearest deadline first) and events of the next two weeks without my answer; gone once answered', async () => {
    const datePoll = await makeDatePoll(app, c.bert.actor, c.g.slug, { title: 'Date de l’AG', deadlineDate: dayAfter(app, 3) });
    const proposal = await app.decide.createPoll(c.bert.actor, { groupSlug: c.g.slug, kind: 'proposal', title: 'Adopter le budget', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 2) });
    const closed = await app.decide.createPoll(c.bert.actor, { groupSlug: c.g.slug, kind: 'proposal', title: 'Déjà décidé', timeZone: 'Europe/Brussels', deadlineDate: dayAfter(app, 2) });
    await app.decide.close(c.admin.actor, { pollId: closed.id, outcome: 'Oui.' });
    const soon = await app.decide.createEvent(c.bert.actor, { groupSlug: c.g.slug, title: 'Marché', timeZone: 'Europe/Brussels', startDate: dayAfter(app, 4), startTime: '09:00', endTime: '12:00' });
    await app.decide.createEvent(c.bert.actor, { groupSlug: c.g.slug, title: 'Dans un mois', timeZone: 'Europe/Brussels', startDate: dayAfter(app, 30), startTime: '09:00' });
    const weekly = await app.decide.createEvent(c.bert.actor, { groupSlug: c.g.slug, title: 'Permanence', timeZone: 'Europe/Brussels', startDate: dayAfter(app, 1), startTime: '18:00', endTime: '19:00', repeat: 'weekly', repeatCount: 4 });

    let w = await app.decide.awaitingMe(c.anne.actor);
    expect(w.polls.map((p) => [p.title, p.kind])).toEqual([['Adopter le budget', 'proposal'], ['Date de l’AG', 'date']]);
    expect(w.events.map((e) => e.title)).toEqual(['Permanence', 'Marché', 'Permanence']);

    await app.decide.respond(c.anne.actor, { pollId: proposal.id, position: 'agree' });
    await app.decide.answerDatePoll(c.anne.actor, { pollId: datePoll.id, answers: { [(await optionsOf(app, datePoll.id))[0].id]: 'yes' } });
    await app.decide.rsvp(c.anne.actor, { eventId: soon.id, answer: 'no' });
    await app.decide.rsvp(c.anne.actor, { eventId: weekly.id, occurrence: w.events[0].occurrence, answer: 'yes' });
    w = await app.decide.awaitingMe(c.anne.actor);
    expect(w.polls).toEqual([]);
    expect(w.events.map((e) => [e.title, e.occurrence])).toEqual([['Permanence', w.events[0].occurrence]]);
    expect(w.events[0].url).toContain(`/events/${weekly.id}?occurrence=`);

    // Someone outside the group sees none of it.
    expect(await app.decide.awaitingMe(c.outsider.actor)).toEqual({ polls: [], events: [] });
  });
});
