import type { TestApp } from './app';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import type { Actor } from '../../src/lib/server/policy/actor';
import type { UserId } from '../../src/lib/server/kernel/ids';

let n = 0;

/** The association row, as first-run setup leaves it (registration closed unless asked). */
export async function makeInstance(app: TestApp, o: { openRegistration?: boolean; name?: string } = {}) {
  await app.db
    .insertInto('instance')
    .values({ id: 1, name: o.name ?? 'Zinne', description: '', openRegistration: o.openRegistration ? 1 : 0, defaultLocale: 'fr', createdAt: app.clock.now().toISOString() })
    .execute();
}

/** A member with a unique email; a password when given (10+ characters). */
export async function makeUser(app: TestApp, o: { email?: string; name?: string; password?: string; isAdmin?: boolean; locale?: 'fr' | 'nl' | 'en'; handle?: string } = {}) {
  n++;
  const email = o.email ?? `member${n}-${Math.random().toString(36).slice(2, 7)}@example.org`;
  const u = await insertUser(app.deps, app.db, { email, name: o.name ?? `Member ${n}`, password: o.password, isAdmin: o.isAdmin ?? false, locale: o.locale ?? 'fr', handle: o.handle });
  const actor = await app.sessions.actorFor(u.id);
  return { id: u.id as UserId, handle: u.handle, email, actor };
}

export const visitorActor: Actor = { kind: 'visitor' };

/** The secret of the last mailed link to `email` for `path` (/magic/ or /reset/). */
export async function linkFromMail(app: TestApp, email: string, path: '/magic/' | '/reset/'): Promise<string> {
  const rows = await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').orderBy('id', 'desc').execute();
  for (const r of rows) {
    const m = JSON.parse(r.payload) as { to: string; text: string };
    if (m.to !== email) continue;
    const hit = m.text.match(new RegExp(`${path.replace(/\//g, '\\/')}([A-Za-z0-9_-]+)`));
    if (hit) return hit[1];
  }
  throw new Error(`no ${path} mail to ${email}`);
}
