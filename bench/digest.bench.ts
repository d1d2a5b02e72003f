/**
 * `npm run bench:digest`: a daily digest for 10,000 members across 20 groups (each member in
 * two groups, 30 discussions per group, all unread, a few mentions), from the scheduler to
 * the enqueued mails; then outgoing throughput of the job runner into a local SMTP sink
 * (smtp-server on 127.0.0.1). Reports time and memory; ends with one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { ManualClock } from '../src/lib/server/kernel/clock';
import { newId } from '../src/lib/server/kernel/ids';
import { JobRunner } from '../src/lib/server/jobs/runner';
import { MemoryMailTransport, SmtpMailTransport } from '../src/lib/server/adapters/mail/mail-transport';
import { seedComments, seedDiscussions, seedGroup } from './seed';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const GROUPS = 20;
const SMTP_MAILS = Number(process.env.BENCH_SMTP_MAILS ?? 2000);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-digest-bench-'));
const config = loadConfig({ DATA_DIR: dataDir, BASE_URL: 'http://localhost:3000', MAIL_DOMAIN: 'bench.test' });
const clock = new ManualClock(new Date('2026-01-15T10:00:00Z'));
const memory = new MemoryMailTransport();
const app = await createApp(config, { clock, mail: memory, log: () => {} });
let peakRss = 0;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

// Members, straight into the tables.
const t0 = performance.now();
const now = clock.now().toISOString();
const ids: string[] = [];
for (let i = 0; i < MEMBERS; i += 500) {
  const rows = Array.from({ length: Math.min(500, MEMBERS - i) }, (_, k) => {
    const id = newId();
    ids.push(id);
    const n = i + k;
    return { id, email: `m${n}@example.org`, name: `Membre ${n}`, handle: `m${n}`, passwordHash: null, isAdmin: 0, locale: ['fr', 'nl', 'en'][n % 3], timeZone: n % 10 === 0 ? 'America/New_York' : 'Europe/Brussels', bio: '', avatarFileId: null, createdAt: now, disabledAt: null };
  });
  await app.db.insertInto('users').values(rows).execute();
}
const groups: string[] = [];
for (let g = 0; g < GROUPS; g++) {
  const memberIds = ids.filter((_, i) => i % GROUPS === g || i % GROUPS === (g + 1) % GROUPS);
  const gid = await seedGroup(app, { slug: `groupe-${g}`, ownerId: memberIds[0], memberIds });
  groups.push(gid);
  const ds = await seedDiscussions(app, gid, memberIds[1], 30);
  for (const d of ds.slice(0, 5)) await seedComments(app, d, memberIds.slice(2, 6), 4);
}
// Seeded rows carry their own times: put the activity inside the digest's day.
await app.db.updateTable('discussions').set({ lastActivityAt: '2026-01-15T12:00:00.000Z' }).execute();
// Everyone on a daily digest at 8:00 local time, due now; some mentions.
for (let i = 0; i < ids.length; i += 500) {
  await app.db
    .insertInto('emailSettings')
    .values(ids.slice(i, i + 500).map((userId) => ({ userId, level: 'daily' as const, digestHour: 8, digestWeekday: 1, nextDigestAt: '2026-01-16T07:00:00.000Z', lastDigestAt: null, updatedAt: now })))
    .execute();
}
const someDiscussion = await app.db.selectFrom('discussions').select(['id', 'groupId', 'authorId']).where('groupId', '=', groups[0]).limit(1).executeTakeFirstOrThrow();
const mentioned = ids.filter((_, i) => i % GROUPS === 0).slice(0, 200);
const noticeId = newId();
await app.db
  .insertInto('notices')
  .values({ id: noticeId, type: 'discussion.started', subjectKind: 'discussion', subjectId: someDiscussion.id, itemId: someDiscussion.id, groupId: someDiscussion.groupId, actorId: someDiscussion.authorId, data: JSON.stringify({ title: 'Agenda', url: `/d/${someDiscussion.id}`, summary: { key: 'notify.mentioned', params: { name: 'Someone', title: 'Agenda' } } }), createdAt: now })
  .execute();
await app.db
  .insertInto('notifications')
  .values(mentioned.map((userId) => ({ id: newId(), userId, noticeId, reason: 'mentioned', subjectKind: 'discussion', subjectId: someDiscussion.id, itemId: someDiscussion.id, groupId: someDiscussion.groupId, actorId: someDiscussion.authorId, inInbox: 1, mailState: null, dedupeKey: `mentioned:${someDiscussion.id}`, createdAt: now, readAt: null })))
  .execute();
const seedMs = performance.now() - t0;

// The digest run: the scheduler claims 10,000 members, the runner builds every digest.
clock.advance(21 * 3600_000 + 60_000); // 2026-01-16 07:01 UTC
const t1 = performance.now();
let scheduled = 0;
for (let n; (n = await app.email.digests.scheduleDue(2000)) > 0; ) scheduled += n;
const t2 = performance.now();
const digestRunner = new JobRunner(app.deps.h, clock, { 'digest.build': async (p) => void (await app.email.digests.build(p)) });
while ((await digestRunner.runDue(200)) > 0) {}
const t3 = performance.now();
const digestMails = await app.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'mail.send').where('doneAt', 'is', null).executeTakeFirstOrThrow();
const sampleMail = JSON.parse((await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').limit(1).executeTakeFirstOrThrow()).payload);
const rssAfterDigests = process.memoryUsage().rss;

// Outgoing throughput: the job runner sending digests to a local SMTP sink.
let received = 0;
const sink = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _s, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received++;
      cb();
    });
  },
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
const port = (sink.server.address() as { port: number }).port;
const smtp = new SmtpMailTransport(`smtp://127.0.0.1:${port}?pool=true&maxConnections=4&maxMessages=1000`);
await app.db.updateTable('jobs').set({ runAt: '2000-01-01T00:00:00.000Z' }).where('kind', '=', 'mail.send').where('doneAt', 'is', null).where('id', 'in', app.db.selectFrom('jobs').select('id').where('kind', '=', 'mail.send').where('doneAt', 'is', null).orderBy('id').limit(SMTP_MAILS)).execute();
const sendRunner = new JobRunner(app.deps.h, clock, { 'mail.send': (m) => smtp.send(m, config.mailFrom) });
const t4 = performance.now();
let sent = 0;
while (sent < SMTP_MAILS) {
  const n = await sendRunner.runDue(50);
  if (n === 0) break;
  sent += n;
}
const t5 = performance.now();
clearInterval(sample);
sink.close();
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const result = {
  bench: 'digest',
  members: MEMBERS,
  groups: GROUPS,
  seedMs: Math.round(seedMs),
  scheduleMs: Math.round(t2 - t1),
  scheduled,
  buildMs: Math.round(t3 - t2),
  digestsPerSecond: Math.round((scheduled / (t3 - t2)) * 1000),
  digestMails: Number(digestMails.n),
  sampleDigestBytes: Buffer.byteLength(sampleMail.html ?? '') + Buffer.byteLength(sampleMail.text ?? ''),
  smtpMails: sent,
  smtpReceived: received,
  smtpMs: Math.round(t5 - t4),
  smtpMailsPerSecond: Math.round((sent / (t5 - t4)) * 1000),
  rssAfterDigestsMB: Math.round(rssAfterDigests / 1048576),
  peakRssMB: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1048576),
  heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
};
console.log(JSON.stringify(result));
process.exit(0);
