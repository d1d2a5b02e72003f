import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeDecideCircle } from '../../../../../tests/support/decide-factories';
import { visitor } from '../../policy';
import { vtimezone } from './vtimezone';

/** Parses a calendar and registers its VTIMEZONEs, as a calendar client would. */
function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  return cal;
}
const tzids = (cal: ICAL.Component) =>
  cal
    .getAllSubcomponents('vevent')
    .flatMap((v) => ['dtstart', 'dtend', 'exdate', 'recurrence-id'].flatMap((p) => v.getAllProperties(p).map((x) => x.getParameter('tzid'))))
    .filter((x): x is string => typeof x === 'string');

describe('VTIMEZONE from the runtime’s zone rules', () => {
  it('gives ical.js the offsets Intl knows, on both sides of each change', () => {
    for (const zone of ['Europe/Brussels', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata']) {
      const comp = new ICAL.Component(ICAL.parse(`BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n${vtimezone(zone, 2025, 2027)}END:VCALENDAR\r\n`));
      const tz = new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!);
      // Hours on the day of each change (ical.js itself is approximate within the changing hour).
      for (const iso of ['2026-01-15T12:00:00Z', '2026-03-08T00:30:00Z', '2026-03-08T12:00:00Z', '2026-03-29T00:30:00Z', '2026-03-29T06:00:00Z', '2026-04-05T12:00:00Z', '2026-07-01T12:00:00Z', '2026-10-04T12:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T06:00:00Z', '2026-11-01T12:00:00Z']) {
        const utc = ICAL.Time.fromJSDate(new Date(iso), true);
        const local = utc.convertToZone(tz);
        const want = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso)).replace(' ', 'T');
        expect(`${zone} ${local.toString().slice(0, 16)}`).toBe(`${zone} ${want}`);
      }
    }
  });
});

describe.each(engines)('calendar feeds on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());

  async function seed() {
    const weekly = await app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'Permanence', timeZone: 'Europe/Brussels', startDate: '2026-03-17', startTime: '19:00', endTime: '20:30', repeat: 'weekly', repeatCount: 4, location: 'Maison de quartier' });
    await app.decide.cancelEvent(c.admin.actor, { eventId: weekly.id, occurrence: '2026-03-31T19:00' });
    await app.decide.editEvent(c.admin.actor, { eventId: weekly.id, occurrence: '2026-03-24T19:00', title: 'Permanence (plus tard)', timeZone: 'Europe/Brussels', startDate: '2026-03-24', startTime: '20:00', endTime: '21:30' });
    const market = await app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'Marché de printemps', timeZone: 'Europe/Brussels', allDay: true, startDate: '2026-04-04', endDate: '2026-04-05' });
    const call = await app.decide.createEvent(c.anne.actor, { groupSlug: c.g.slug, title: 'Appel avec New York', timeZone: 'America/New_York', startDate: '2026-03-10', startTime: '10:00', endTime: '11:00', onlineUrl: 'https://meet.example.org/abc' });
    const gone = await app.decide.createEvent(c.anne.actor, { groupSlug: c.g.slug, title: 'Annulé', timeZone: 'Europe/Brussels', startDate: '2026-02-10', startTime: '18:00' });
    await app.decide.cancelEvent(c.anne.actor, { eventId: gone.id });
    return { weekly, market, call, gone };
  }

  it('a group feed: stable UIDs, DTSTAMP, SEQUENCE, a VTIMEZONE for every TZID, EXDATE in DTSTART’s zone, moved occurrences, cancelled events', async () => {
    const ids = await seed();
    const text = await app.decide.groupFeed(c.anne.actor, { slug: c.g.slug });
    const cal = parse(text);
    const zones = new Set(cal.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid')));
    expect(new Set(tzids(cal))).toEqual(new Set(['Europe/Brussels', 'America/New_York']));
    for (const id of tzids(cal)) expect(zones.has(id)).toBe(true);
    const vevents = cal.getAllSubcomponents('vevent');
    for (const v of vevents) {
      expect(v.getFirstPropertyValue('dtstamp')).toBeTruthy();
      expect(String(v.getFirstPropertyValue('uid'))).toMatch(new RegExp(`^[0-9a-f-]{36}@${app.config.mailDomain}$`));
    }
    const byUid = (id: string) => vevents.filter((v) => v.getFirstPropertyValue('uid') === `${id}@${app.config.mailDomain}`);
    const [master, moved] = byUid(ids.weekly.id);
    expect(master.getFirstPropertyValue('sequence')).toBe(2);
    expect(String(master.getFirstPropertyValue('rrule'))).toMatch(/^FREQ=WEEKLY;COUNT=4/);
    const exdate = master.getFirstProperty('exdate')!;
    expect(exdate.getParameter('tzid')).toBe(master.getFirstProperty('dtstart')!.getParameter('tzid'));
    expect(exdate.getFirstValue()!.toString()).toBe('2026-03-31T19:00:00');
    expect(moved.getFirstPropertyValue('recurrence-id')!.toString()).toBe('2026-03-24T19:00:00');
    expect(moved.getFirstPropertyValue('summary')).toBe('Permanence (plus tard)');
    // A client expands the series as the agenda does: the 31st is gone, the 24th moved, summer time kept at 19:00 local.
    const ev = new ICAL.Event(master, { exceptions: [moved] });
    const it = ev.iterator();
    const starts: string[] = [];
    for (let t = it.next(); t && starts.length < 10; t = it.next()) {
      const d = ev.getOccurrenceDetails(t);
      starts.push(d.startDate.toJSDate().toISOString());
    }
    expect(starts).toEqual(['2026-03-17T18:00:00.000Z', '2026-03-24T19:00:00.000Z', '2026-04-07T17:00:00.000Z']);
    const [market] = byUid(ids.market.id);
    expect(market.getFirstPropertyValue('dtstart')!.toString()).toBe('2026-04-04');
    expect(market.getFirstPropertyValue('dtend')!.toString()).toBe('2026-04-06');
    const [call] = byUid(ids.call.id);
    expect((call.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString()).toBe('2026-03-10T14:00:00.000Z');
    expect(call.getFirstPropertyValue('location')).toContain('https://meet.example.org/abc');
    const [gone] = byUid(ids.gone.id);
    expect(gone.getFirstPropertyValue('status')).toBe('CANCELLED');
    // Stable: the same UIDs and stamps on the next fetch.
    expect(await app.decide.groupFeed(c.anne.actor, { slug: c.g.slug })).toBe(text);
  });

  it('a closed group’s feed for its members only: by session, or by the member’s private token', async () => {
    await seed();
    await expect(app.decide.groupFeed(visitor, { slug: c.g.slug })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.decide.groupFeed(c.outsider.actor, { slug: c.g.slug })).rejects.toMatchObject({ kind: 'not_found' });
    const mine = (await app.decide.myFeed(c.bert.actor)).path.split('/').pop()!;
    expect(await app.decide.groupFeed(visitor, { slug: c.g.slug, token: mine })).toContain('BEGIN:VEVENT');
    const theirs = (await app.decide.myFeed(c.outsider.actor)).path.split('/').pop()!;
    await expect(app.decide.groupFeed(visitor, { slug: c.g.slug, token: theirs })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a member’s private feed: their groups’ events; a new address revokes the old one; a disabled account’s feed is gone', async () => {
    await seed();
    const other = await app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'x', timeZone: 'UTC', startDate: '2026-05-01', startTime: '10:00' });
    expect(other.id).toBeTruthy();
    const first = (await app.decide.myFeed(c.bert.actor)).path;
    expect(first).toBe((await app.decide.myFeed(c.bert.actor)).path);
    const token = first.split('/').pop()!;
    const cal = parse(await app.decide.memberFeed(token));
    expect(cal.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('summary'))).toContain('Marché de printemps');
    expect(parse(await app.decide.memberFeed((await app.decide.myFeed(c.outsider.actor)).path.split('/').pop()!)).getAllSubcomponents('vevent')).toEqual([]);
    const renewed = (await app.decide.renewFeed(c.bert.actor)).path;
    expect(renewed).not.toBe(first);
    await expect(app.decide.memberFeed(token)).rejects.toMatchObject({ kind: 'not_found' });
    await app.decide.memberFeed(renewed.split('/').pop()!);
    await app.db.updateTable('users').set({ disabledAt: app.clock.now().toISOString() }).where('id', '=', c.bert.id).execute();
    await expect(app.decide.memberFeed(renewed.split('/').pop()!)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
