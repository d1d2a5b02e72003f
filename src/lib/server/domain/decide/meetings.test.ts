import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeDecideCircle } from '../../../../../tests/support/decide-factories';
import { createDecideService } from './decide.service';

describe.each(engines)('meetings on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeDecideCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeDecideCircle(app, 'closed');
  });
  afterEach(async () => app.cleanup());
  const meeting = (extra: Record<string, unknown> = {}) =>
    app.decide.createEvent(c.admin.actor, { groupSlug: c.g.slug, title: 'Coordination régionale', timeZone: 'Europe/Brussels', startDate: '2026-01-22', startTime: '19:00', endTime: '21:00', isMeeting: true, ...extra });

  it('an agenda: items with an owner and a duration, added from the event or from a discussion of the group, moved and removed', async () => {
    const { id } = await meeting();
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Budget du marché', body: 'À discuter.' });
    const from = await app.decide.agendaFrom(c.bert.actor, { groupSlug: c.g.slug, discussionId: d.id });
    expect(from.source).toEqual({ kind: 'discussion', id: d.id, title: 'Budget du marché' });
    expect(from.meetings.map((m) => m.eventId)).toEqual([id]);
    await app.decide.addAgendaItem(c.bert.actor, { eventId: id, title: 'Budget du marché', discussionId: d.id, ownerId: c.anne.id, durationMin: 20 });
    await app.decide.addAgendaItem(c.anne.actor, { eventId: id, title: 'Tour de table', durationMin: 10, key: 'agenda-key-01' });
    await app.decide.addAgendaItem(c.anne.actor, { eventId: id, title: 'Tour de table', durationMin: 10, key: 'agenda-key-01' }); // sent twice: once
    await expect(app.decide.addAgendaItem(c.anne.actor, { eventId: id, title: 'X', ownerId: c.outsider.id })).rejects.toMatchObject({ issues: [{ path: 'ownerId', code: 'not_member' }] });
    await expect(app.decide.addAgendaItem(c.outsider.actor, { eventId: id, title: 'X' })).rejects.toMatchObject({ kind: 'not_found' });
    let v = await app.decide.event(c.anne.actor, { eventId: id });
    expect(v.meeting!.items.map((i) => [i.title, i.owner?.name ?? null, i.durationMin, i.discussion?.id ?? null])).toEqual([
      ['Budget du marché', 'Anne Peeters', 20, d.id],
      ['Tour de table', null, 10, null],
    ]);
    expect(v.meeting!.totalMinutes).toBe(30);
    await app.decide.moveAgendaItem(c.anne.actor, { itemId: v.meeting!.items[1].id, direction: 'up' });
    v = await app.decide.event(c.anne.actor, { eventId: id });
    expect(v.meeting!.items.map((i) => i.title)).toEqual(['Tour de table', 'Budget du marché']);
    await app.decide.removeAgendaItem(c.anne.actor, { itemId: v.meeting!.items[0].id });
    expect((await app.decide.event(c.anne.actor, { eventId: id })).meeting!.items).toHaveLength(1);
  });

  it('minutes item by item: decisions go to the decision log, action items stay a list with assignee and due date', async () => {
    const { id } = await meeting();
    const item = await app.decide.addAgendaItem(c.admin.actor, { eventId: id, title: 'Stand de printemps' });
    await expect(app.decide.saveMinutes(c.anne.actor, { eventId: id, items: [], actions: [{ title: 'Réserver', assigneeId: c.outsider.id }] })).rejects.toMatchObject({ issues: [{ path: 'actions.0.assigneeId', code: 'not_member' }] });
    await expect(app.decide.saveMinutes(c.anne.actor, { eventId: id, items: [], actions: [{ title: '', dueDate: '2026-02-01' }] })).rejects.toMatchObject({ issues: [{ path: 'actions.0.title', code: 'required' }] });
    await app.decide.saveMinutes(c.anne.actor, {
      eventId: id,
      minutes: 'Présents : Ada, Anne, Bert.',
      items: [{ id: item.id, notes: 'On garde la place Flagey.', decision: 'Le stand de printemps aura lieu le 4 avril.' }],
      actions: [{ title: 'Réserver la tonnelle', assigneeId: c.bert.id, dueDate: '2026-02-15', itemId: item.id }],
    });
    const m = await app.decide.minutes(c.bert.actor, { eventId: id });
    expect(m.meeting.minutesHtml).toContain('Présents');
    expect(m.meeting.items[0]).toMatchObject({ notes: 'On garde la place Flagey.', decision: 'Le stand de printemps aura lieu le 4 avril.' });
    // Each action item became a task of the group, assigned and due as written, linking back to the minutes.
    expect(m.meeting.tasksConnected).toBe(true);
    expect(m.meeting.actions).toMatchObject([{ title: 'Réserver la tonnelle', assignee: { id: c.bert.id }, dueDate: '2026-02-15' }]);
    const task = await app.tasks.get(c.bert.actor, { taskId: m.meeting.actions[0].taskId });
    expect(task).toMatchObject({ title: 'Réserver la tonnelle', group: { id: c.g.id }, assignees: [{ id: c.bert.id }] });
    expect(task.due?.date).toBe('2026-02-15');
    expect(task.description).toContain(`/events/${id}/minutes`);
    // Saving the minutes again makes no second task.
    await app.decide.saveMinutes(c.anne.actor, { eventId: id, items: [{ id: item.id, notes: 'On garde la place Flagey.', decision: 'Le stand de printemps aura lieu le 4 avril.' }] });
    expect(await app.db.selectFrom('tasks').select('id').where('groupId', '=', c.g.id).execute()).toHaveLength(1);
    const log = await app.decide.decisions(c.bert.actor, { groupSlug: c.g.slug, q: 'printemps' });
    expect(log.items.map((d) => [d.kind, d.title, d.url])).toEqual([['meeting', 'Coordination régionale — Stand de printemps', `/events/${id}/minutes#item-${item.id}`]]);
    // Emptying the decision removes its line from the log.
    await app.decide.saveMinutes(c.anne.actor, { eventId: id, items: [{ id: item.id, notes: '', decision: '' }] });
    expect((await app.decide.decisions(c.bert.actor, { groupSlug: c.g.slug })).items).toEqual([]);
    await expect(app.decide.minutes(c.outsider.actor, { eventId: id })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('without tasks connected, action items stay a list in the minutes', async () => {
    const decide = createDecideService(app.deps);
    const { id } = await meeting();
    await decide.saveMinutes(c.anne.actor, { eventId: id, items: [], actions: [{ title: 'Envoyer le PV', assigneeId: c.anne.id, dueDate: '2026-01-30' }] });
    expect((await decide.minutes(c.anne.actor, { eventId: id })).meeting).toMatchObject({ tasksConnected: false, actions: [{ title: 'Envoyer le PV', taskId: null }] });
    expect(await app.db.selectFrom('tasks').select('id').execute()).toEqual([]);
  });

  it('a task on the next meeting’s agenda, and a member’s due tasks in their calendar feed', async () => {
    const { id } = await meeting();
    const t = await app.tasks.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Imprimer les affiches', assigneeIds: [c.bert.id], dueDate: '2026-01-20' });
    const timed = await app.tasks.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Appeler la commune', assigneeIds: [c.bert.id], dueDate: '2026-01-21', dueTime: '10:00' });
    await app.tasks.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Tâche d’Anne', assigneeIds: [c.anne.id], dueDate: '2026-01-20' });
    const from = await app.decide.agendaFrom(c.bert.actor, { groupSlug: c.g.slug, taskId: t.id });
    expect(from.source).toMatchObject({ kind: 'task', id: t.id, title: 'Imprimer les affiches' });
    await app.decide.addAgendaItem(c.bert.actor, { eventId: id, title: 'Imprimer les affiches', taskId: t.id });
    expect((await app.decide.event(c.anne.actor, { eventId: id })).meeting!.items).toMatchObject([{ title: 'Imprimer les affiches' }]);
    // Someone who may not see the task cannot put it on an agenda.
    await expect(app.decide.agendaFrom(c.outsider.actor, { groupSlug: c.g.slug, taskId: t.id })).rejects.toMatchObject({ kind: 'not_found' });
    const feed = await app.decide.memberFeed((await app.decide.myFeed(c.bert.actor)).path.split('/').pop()!);
    expect(feed).toContain('SUMMARY:Imprimer les affiches');
    expect(feed).toContain('DTSTART;VALUE=DATE:20260120');
    expect(feed).toContain('SUMMARY:Appeler la commune');
    expect(feed).toContain('DTSTART:20260121T090000Z');
    expect(feed).not.toContain('Tâche d’Anne');
    // Done tasks leave the feed.
    await app.tasks.complete(c.bert.actor, { taskId: timed.id });
    expect(await app.decide.memberFeed((await app.decide.myFeed(c.bert.actor)).path.split('/').pop()!)).not.toContain('Appeler la commune');
  });

  it('the agenda goes out with the reminder, the day before at the member’s hour in their zone and an hour before', async () => {
    const { id } = await meeting();
    await app.decide.addAgendaItem(c.admin.actor, { eventId: id, title: 'Bilan du marché de Noël', ownerId: c.bert.id, durationMin: 15 });
    await app.decide.rsvp(c.anne.actor, { eventId: id, answer: 'yes' });
    await app.decide.rsvp(c.bert.actor, { eventId: id, answer: 'maybe' });
    // Bert reads his mail at 18:00 in Lisbon; Anne keeps the default (8:00, Brussels).
    await app.email.saveSettings(c.bert.actor, { level: 'participating', digestHour: 18, digestWeekday: 1 });
    await app.db.updateTable('users').set({ timeZone: 'Europe/Lisbon' }).where('id', '=', c.bert.id).execute();
    const reminded = async () => (await app.db.selectFrom('notifications').select(['userId', 'itemId']).where('reason', '=', 'reminder').execute()).map((n) => [n.userId === c.anne.id ? 'anne' : 'bert', n.itemId!.split(':').pop()]);
    app.clock.advance((6 * 24 - 3) * 3_600_000); // 2026-01-21 07:00 UTC = 08:00 in Brussels
    await app.decide.tick();
    expect(await reminded()).toEqual([['anne', 'day']]);
    const mail = (await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute()).map((j) => JSON.parse(j.payload)).find((x) => x.to === c.emails.anne && /Bilan/.test(x.text))!;
    expect(mail.text).toContain('1. Bilan du marché de Noël (Bert Janssens) — 15 min');
    await app.decide.tick(); // nothing twice
    app.clock.advance(11 * 3_600_000); // 18:00 in Lisbon
    await app.decide.tick();
    expect((await reminded()).sort()).toEqual([['anne', 'day'], ['bert', 'day']]);
    app.clock.advance(23.5 * 3_600_000); // 2026-01-22 17:30 UTC: 18:30 in Brussels
    await app.decide.tick();
    expect((await reminded()).filter(([, w]) => w === 'hour').map(([who]) => who).sort()).toEqual(['anne', 'bert']);
  });
});
