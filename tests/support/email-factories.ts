import type { TestApp } from './app';
import { makeCircle } from './discussions-factories';
import type { EmailLevel } from '../../src/lib/server/db/schema';
import type { Actor } from '../../src/lib/server/policy';

/** A closed group (admin, Anne, Bert, an outsider) with chosen default mail levels. */
export async function makeMailCircle(app: TestApp, levels: { admin?: EmailLevel; anne?: EmailLevel; bert?: EmailLevel } = {}) {
  const c = await makeCircle(app, 'closed');
  for (const who of ['admin', 'anne', 'bert'] as const) {
    const level = levels[who];
    if (level) await app.email.saveSettings(c[who].actor, { level, digestHour: 8, digestWeekday: 1 });
  }
  const g = await app.db.selectFrom('groups').select(['name', 'slug']).where('id', '=', c.g.id).executeTakeFirstOrThrow();
  const emails = Object.fromEntries(
    await Promise.all((['admin', 'anne', 'bert', 'outsider'] as const).map(async (w) => [w, (await app.db.selectFrom('users').select('email').where('id', '=', c[w].id).executeTakeFirstOrThrow()).email])),
  ) as Record<'admin' | 'anne' | 'bert' | 'outsider', string>;
  return { ...c, group: { ...c.g, name: g.name }, emails };
}

/** Mail jobs waiting in the outbox, decoded. */
export async function pendingMails(app: TestApp) {
  const rows = await app.db.selectFrom('jobs').select(['payload']).where('kind', '=', 'mail.send').where('doneAt', 'is', null).orderBy('createdAt').execute();
  return rows.map((r) => JSON.parse(r.payload) as { to: string; subject: string; text: string; html?: string; messageId: string; fromName?: string; replyTo?: string; headers?: Record<string, string> });
}

export const start = (app: TestApp, actor: Actor, groupSlug: string, title = 'Potluck on Saturday', body = 'Who brings what?') => app.discussions.create(actor, { groupSlug, title, body });
