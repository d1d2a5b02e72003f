/**
 * `npm run bench:notify`: what the notification pipeline adds to a write. Two apps on SQLite
 * files, seeded alike (one group of 5,000 members, and one of 500), one with the pipeline and
 * one without, take the same replies in turn: 100 replies in a burst to one discussion, each
 * telling 10 members (the discussion's author and nine members who want every message).
 * Prints time per write (p50, p99) with and without, the difference at 500 and at 5,000
 * members (the cost should follow who gets something, not the group's size), mails per
 * recipient after the burst (replies merged), then a digest run. Ends with JSON lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/lib/server/config';
import { createApp, type App } from '../src/lib/server/app';
import { ManualClock } from '../src/lib/server/kernel/clock';
import { newId, type UserId } from '../src/lib/server/kernel/ids';
import { MemoryMailTransport } from '../src/lib/server/adapters/mail/mail-transport';
import { MERGE_WINDOW_MS } from '../src/lib/server/domain/email/channel';
import { seedGroup } from './seed';

const REPLIES = Number(process.env.BENCH_REPLIES ?? 100);
const TOLD = 10;

type World = { app: App; clock: ManualClock; discussionId: string; author: string; writers: string[]; told: string[]; groupSlug: string };

async function world(members: number, pipeline: boolean): Promise<World> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-notify-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, BASE_URL: 'http://localhost:3000', MAIL_DOMAIN: 'bench.test' });
  const clock = new ManualClock(new Date('2026-01-15T10:00:00Z'));
  const app = await createApp(config, { clock, mail: new MemoryMailTransport(), log: () => {}, notifications: pipeline });
  const now = clock.now().toISOString();
  const ids: string[] = [];
  for (let i = 0; i < members; i += 500) {
    const rows = Array.from({ length: Math.min(500, members - i) }, (_, k) => {
      const id = newId();
      ids.push(id);
      const n = i + k;
      return { id, email: `m${n}@example.org`, name: `Membre ${n}`, handle: `m${n}`, passwordHash: null, isAdmin: 0, locale: ['fr', 'nl', 'en'][n % 3], timeZone: 'Europe/Brussels', bio: '', avatarFileId: null, createdAt: now, disabledAt: null };
    });
    await app.db.insertInto('users').values(rows).execute();
  }
  const groupSlug = `groupe-${members}`;
  await seedGroup(app, { slug: groupSlug, ownerId: ids[0], memberIds: ids });
  // Nine members want every message of the group (the author of the discussion is the tenth told).
  const every = ids.slice(10, 10 + TOLD - 1);
  await app.db.insertInto('emailSettings').values(every.map((userId) => ({ userId, level: 'all' as const, digestHour: 8, digestWeekday: 1, nextDigestAt: null, lastDigestAt: null, updatedAt: now }))).execute();
  const author = ids[1];
  const d = await app.discussions.create(await app.sessions.actorFor(author as UserId), { groupSlug, title: 'Le stand du marché', body: 'Qui vient samedi ?' });
  return { app, clock, discussionId: d.id, author, writers: ids.slice(2, 6), told: [author, ...every], groupSlug };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The same burst on two apps in turn, so both see the same machine at the same moment. */
async function burst(withP: World, without: World) {
  const a: number[] = [];
  const b: number[] = [];
  const actorsA = await Promise.all(withP.writers.map((w) => withP.app.sessions.actorFor(w as UserId)));
  const actorsB = await Promise.all(without.writers.map((w) => without.app.sessions.actorFor(w as UserId)));
  for (let i = 0; i < REPLIES; i++) {
    const body = `Réponse ${i} : je peux venir à 9 h.`;
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const o of order) {
      const w = o === 0 ? withP : without;
      const actor = (o === 0 ? actorsA : actorsB)[i % actorsA.length];
      const t = performance.now();
      await w.app.discussions.reply(actor, { discussionId: w.discussionId, body });
      (o === 0 ? a : b).push(performance.now() - t);
    }
    withP.clock.advance(1000);
    without.clock.advance(1000);
  }
  return { a, b };
}

const out: Record<string, unknown>[] = [];
for (const members of [500, 5000]) {
  const withP = await world(members, true);
  const without = await world(members, false);
  // Warm up both (statement caches, JIT) on another discussion, not counted.
  for (const w of [withP, without]) {
    const actor = await w.app.sessions.actorFor(w.writers[0] as UserId);
    const warm = await w.app.discussions.create(await w.app.sessions.actorFor(w.author as UserId), { groupSlug: w.groupSlug, title: 'Échauffement', body: '…' });
    for (let i = 0; i < 20; i++) await w.app.discussions.reply(actor, { discussionId: warm.id, body: `échauffement ${i}` });
  }
  withP.clock.advance(2 * MERGE_WINDOW_MS);
  without.clock.advance(2 * MERGE_WINDOW_MS);
  await withP.app.jobs.runDue(10_000);
  await withP.app.db.deleteFrom('jobs').execute();
  const { a, b } = await burst(withP, without);
  const added = a.map((x, i) => x - b[i]);
  // After the burst: what each recipient got by mail, once the merge window closed.
  withP.clock.advance(MERGE_WINDOW_MS + 1000);
  while ((await withP.app.jobs.runDue(1000)) > 0) {}
  const mails = await withP.app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute();
  const emails = new Set((await withP.app.db.selectFrom('users').select('email').where('id', 'in', withP.told).execute()).map((u) => u.email));
  const perRecipient = [...emails].map((e) => mails.filter((m) => JSON.parse(m.payload).to === e).length);
  const inboxRows = Number((await withP.app.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const line = {
    bench: 'notify',
    members,
    replies: REPLIES,
    told: TOLD,
    with_p50_ms: round(pct(a, 50)),
    with_p99_ms: round(pct(a, 99)),
    without_p50_ms: round(pct(b, 50)),
    without_p99_ms: round(pct(b, 99)),
    added_p50_ms: round(pct(added, 50)),
    added_p99_ms: round(pct(a, 99) - pct(b, 99)),
    mails_per_recipient_max: Math.max(...perRecipient),
    mails_per_recipient_min: Math.min(...perRecipient),
    notifications_written: inboxRows,
  };
  out.push(line);
  console.log(`group of ${members}: write p50 ${line.with_p50_ms} ms with the pipeline, ${line.without_p50_ms} ms without (p99 ${line.with_p99_ms} / ${line.without_p99_ms}); added p50 ${line.added_p50_ms} ms, p99 ${line.added_p99_ms} ms; mails per recipient after ${REPLIES} replies: ${line.mails_per_recipient_min}–${line.mails_per_recipient_max}`);

  if (members === 5000) {
    // A digest run over the same group: every member on a daily digest, due now.
    await withP.app.db.updateTable('emailSettings').set({ level: 'daily', nextDigestAt: '2026-01-16T07:00:00.000Z' }).execute();
    const missing = await withP.app.db.selectFrom('memberships').select('userId').where('userId', 'not in', withP.app.db.selectFrom('emailSettings').select('userId')).execute();
    for (let i = 0; i < missing.length; i += 500)
      await withP.app.db.insertInto('emailSettings').values(missing.slice(i, i + 500).map((m) => ({ userId: m.userId, level: 'daily' as const, digestHour: 8, digestWeekday: 1, nextDigestAt: '2026-01-16T07:00:00.000Z', lastDigestAt: null, updatedAt: '2026-01-15T10:00:00.000Z' }))).execute();
    withP.clock.advance(24 * 3600_000);
    const t0 = performance.now();
    let scheduled = 0;
    for (let n; (n = await withP.app.email.digests.scheduleDue(2000)) > 0; ) scheduled += n;
    let built = 0;
    const due = await withP.app.db.selectFrom('jobs').select(['payload']).where('kind', '=', 'digest.build').execute();
    for (const j of due) if (await withP.app.email.digests.build(JSON.parse(j.payload))) built++;
    const ms = performance.now() - t0;
    const digest = { bench: 'notify-digest', members, scheduled, digests: built, ms: Math.round(ms), per_second: Math.round((scheduled / ms) * 1000) };
    out.push(digest);
    console.log(`digest run: ${scheduled} members scheduled, ${built} digests built in ${digest.ms} ms (${digest.per_second}/s)`);
  }
  await withP.app.close();
  await without.app.close();
}
for (const l of out) console.log(JSON.stringify(l));
