/**
 * A meeting's minutes written on the page, on a phone: the decision of an agenda item goes to
 * the group's decision log, an action item becomes a task of the group, assigned and due as
 * written, that its assignee finds in My tasks; a series' minutes belong to one meeting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support';
import { addMember, chatUser } from '../support/chat-factories';
import type { UserId } from '../../src/lib/server/kernel/ids';

let e: E2E;
let adminId: UserId;
beforeAll(async () => {
  e = await startE2E();
  adminId = (await e.running.app.instance.setup({ associationName: 'Zinne', name: 'Camille Dubois', email: 'camille@example.org', password: 'a long password' })).id as UserId;
});
afterAll(async () => {
  await e?.close();
});

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('meetings', () => {
  it('minutes on a phone: a decision goes to the log, an action item becomes a task found in My tasks', async () => {
    const app = e.running.app;
    const g = await app.groups.create(await app.sessions.actorFor(adminId), { name: 'Coordination', slug: 'coordination', visibility: 'closed' });
    const admin = await app.sessions.actorFor(adminId); // now with the group's role
    const anne = await chatUser(app, { name: 'Anne Peeters', locale: 'fr' });
    await addMember(app, g.id, anne.id);
    // A weekly meeting: the minutes of the second one must not land on the first.
    const { id } = await app.decide.createEvent(admin, { groupSlug: g.slug, title: 'Réunion de coordination', timeZone: 'Europe/Brussels', startDate: day(1), startTime: '19:00', endTime: '21:00', isMeeting: true, repeat: 'weekly', repeatCount: 3 });
    const second = `${day(8)}T19:00`;
    const item = await app.decide.addAgendaItem(admin, { eventId: id, occurrence: second, title: 'Stand de printemps', durationMin: 20 });

    const a = await e.newPage();
    await a.page.setViewportSize({ width: 390, height: 844 });
    await e.signIn(a.context, anne.id);
    await a.page.goto(`/events/${id}/minutes?occurrence=${encodeURIComponent(second)}`);
    await a.page.locator(`#item-${item.id}`).getByLabel('Décision').fill('Le stand aura lieu le 4 avril.');
    const first = a.page.getByRole('group', { name: 'Action 1' });
    await first.getByLabel('Quoi').fill('Réserver la tonnelle');
    await first.getByLabel('Qui').selectOption({ label: 'Anne Peeters' });
    await first.getByLabel('Pour le').fill(day(20));
    await a.page.getByRole('button', { name: 'Enregistrer le procès-verbal' }).click();
    await a.page.getByText('Le procès-verbal est enregistré ; 1 tâche a été créée.').waitFor();
    expect(new URL(a.page.url()).searchParams.get('occurrence')).toBe(second);

    // The minutes belong to the second meeting only.
    const minutes = await app.decide.minutes(admin, { eventId: id, occurrence: second });
    expect(minutes.meeting.actions).toMatchObject([{ title: 'Réserver la tonnelle', assignee: { id: anne.id } }]);
    expect((await app.decide.minutes(admin, { eventId: id, occurrence: `${day(1)}T19:00` })).meeting.actions).toEqual([]);

    // The action item links to its task; Anne finds it in My tasks.
    await a.page.locator('#h-actions + ul').getByRole('link', { name: 'Réserver la tonnelle' }).click();
    await a.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    expect(await a.page.locator('.props').textContent()).toContain('Anne Peeters');
    await a.page.goto('/tasks');
    await a.page.getByRole('link', { name: 'Réserver la tonnelle' }).waitFor();
    // The decision is in the group's decision log.
    await a.page.goto(`/groups/${g.slug}/decisions`);
    await a.page.getByText('Le stand aura lieu le 4 avril.').waitFor();
    await a.context.close();
  });
});
