import type { TestApp } from './app';
import { makeCircle } from './discussions-factories';
import { pendingMails } from './email-factories';
import type { Actor } from '../../src/lib/server/policy';

/** A group (admin, Anne, Bert, an outsider) with everyone's address, for deciding and meeting tests. */
export async function makeDecideCircle(app: TestApp, visibility: 'open' | 'closed' | 'secret' = 'closed') {
  const c = await makeCircle(app, visibility);
  const emails = Object.fromEntries(
    await Promise.all((['admin', 'anne', 'bert', 'outsider'] as const).map(async (w) => [w, (await app.db.selectFrom('users').select('email').where('id', '=', c[w].id).executeTakeFirstOrThrow()).email])),
  ) as Record<'admin' | 'anne' | 'bert' | 'outsider', string>;
  return { ...c, emails };
}

/** A local date `days` after the test clock's today (the clock starts 2026-01-15). */
export const dayAfter = (app: TestApp, days: number) => new Date(app.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** A date poll of three slots in Brussels, a week ahead. */
export async function makeDatePoll(app: TestApp, actor: Actor, groupSlug: string, extra: Record<string, unknown> = {}) {
  const d = dayAfter(app, 7);
  const e = dayAfter(app, 8);
  return app.decide.createDatePoll(actor, {
    groupSlug,
    title: 'Réunion de coordination',
    description: 'On cherche une date.',
    timeZone: 'Europe/Brussels',
    slots: [
      { date: d, start: '19:00', end: '21:00' },
      { date: e, start: '19:00', end: '21:00' },
      { date: e },
    ],
    ...extra,
  });
}

/** The poll's options, in order. */
export const optionsOf = (app: TestApp, pollId: string) => app.db.selectFrom('pollOptions').selectAll().where('pollId', '=', pollId).orderBy('position').execute();

/** Mail jobs to one address. */
export const mailsTo = async (app: TestApp, to: string) => (await pendingMails(app)).filter((m) => m.to === to);

/** Notifications of a member, newest first. */
export const notificationsOf = (app: TestApp, userId: string) => app.db.selectFrom('notifications').selectAll().where('userId', '=', userId).orderBy('createdAt', 'desc').execute();
