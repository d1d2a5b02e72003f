import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeDecideCircle } from '../../../../../tests/support/decide-factories';

/** An answer sent again by a device outbox (its reply was lost) under the same key changes nothing. */
describe.each(engines)('an RSVP repeated with its key on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'open');
  });
  afterEach(async () => app.cleanup());

  it('never overwrites the answer the member gave since, and is recorded once', async () => {
    const { id } = await app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'Stand au marché', timeZone: 'Europe/Brussels', startDate: '2026-02-07', startTime: '09:00', endTime: '13:00' });
    const first = await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes', key: 'rsvp-key-0001' });
    await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'no', key: 'rsvp-key-0002' });
    expect(await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes', key: 'rsvp-key-0001' })).toEqual(first);
    const rows = await app.db.selectFrom('eventRsvps').select('answer').where('eventId', '=', id).where('userId', '=', c.anne.id).execute();
    expect(rows).toEqual([{ answer: 'no' }]);
    expect((await app.db.selectFrom('events').select('id').where('type', '=', 'event.rsvped').execute()).length).toBe(2);
    await expect(app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'maybe', key: 'bad key!' })).rejects.toMatchObject({ issues: [{ path: 'key', code: 'bad_key' }] });
  });
});
