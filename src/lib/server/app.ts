import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { openDatabase, type DbHandle } from './db/connect';
import { migrate } from './db/migrate';
import { systemClock, type Clock } from './kernel/clock';
import type { Deps } from './kernel/deps';
import { JobRunner } from './jobs/runner';
import { createMaintenance } from './jobs/maintenance';
import { FileMailTransport, SmtpMailTransport, type MailTransport } from './adapters/mail/mail-transport';
import { createSessions } from './domain/accounts/sessions';
import { createInstanceService } from './domain/instance/instance.service';
import { createAccountsService } from './domain/accounts/accounts.service';
import { createGroupsService } from './domain/groups/groups.service';
import { createDiscussionsService } from './domain/discussions/discussions.service';
import { createFilesService } from './domain/files/files.service';
import { createChatService } from './domain/chat/chat.service';
import { createEmailService } from './domain/email/email.service';
import { createDigests } from './domain/email/digest';
import { MemoryBus, RedisBus, type Bus } from './realtime/bus';
import { Hub } from './realtime/hub';

export type AppOptions = { clock?: Clock; mail?: MailTransport; handle?: DbHandle; log?: (m: string) => void };

/**
 * The composition root: opens the database, applies migrations, wires ports and services.
 * The production entry, the CLI, tests and benchmarks all build the app here.
 */
export async function createApp(config: Config, opts: AppOptions = {}) {
  const h = opts.handle ?? openDatabase(config.database);
  await migrate(h.db, h.dialect);
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((m: string) => console.log(`[ruche] ${m}`));
  fs.mkdirSync(config.dataDir, { recursive: true });
  const mailDir = path.join(config.dataDir, 'mail');
  const mail: MailTransport = opts.mail ?? (config.smtpUrl ? new SmtpMailTransport(config.smtpUrl) : new FileMailTransport(mailDir));

  let runner: JobRunner | null = null;
  const deps: Deps = { h, db: h.db, dialect: h.dialect, clock, config, pokeJobs: () => runner?.poke(), log };
  const digests = createDigests(deps);
  const files = createFilesService(deps);
  const maintenance = createMaintenance(deps, files);
  runner = new JobRunner(
    h,
    clock,
    { 'mail.send': (m) => mail.send(m, config.mailFrom), 'digest.build': async (p) => void (await digests.build(p)), 'maintenance.sweep': async () => void (await maintenance.sweep()) },
    log,
  );

  // Realtime fan-out: Redis pub/sub when several processes share the work, memory otherwise.
  const bus: Bus = config.redisUrl ? new RedisBus(config.redisUrl, 'ruche:realtime', log) : new MemoryBus();
  if (bus instanceof RedisBus)
    await Promise.race([bus.ready, new Promise<void>((r) => setTimeout(() => (log('redis: not subscribed yet; realtime fan-out across processes starts when it is'), r()), 10_000).unref())]);
  const hub = new Hub(bus);

  const app = {
    config,
    deps,
    db: h.db,
    dialect: h.dialect,
    clock,
    mail,
    mailDir,
    jobs: runner,
    sessions: createSessions(deps),
    instance: createInstanceService(deps),
    accounts: createAccountsService(deps),
    groups: createGroupsService(deps),
    discussions: createDiscussionsService(deps),
    files,
    maintenance,
    email: { ...createEmailService(deps), digests },
    chat: createChatService(deps, { event: (room, seq, frame) => hub.publishEvent(room, seq, frame) }),
    realtime: { bus, hub },
    async close() {
      runner?.stop();
      hub.close();
      await bus.close();
      await h.close();
    },
  };
  return app;
}
export type App = Awaited<ReturnType<typeof createApp>>;

/** The process-wide app, created by the production entry (or lazily by `vite dev`). */
const KEY = Symbol.for('ruche.app');
type Holder = { [KEY]?: Promise<App> };
export function setGlobalApp(p: Promise<App>) {
  (globalThis as Holder)[KEY] = p;
}
export function getGlobalApp(make: () => Promise<App>): Promise<App> {
  const g = globalThis as Holder;
  return (g[KEY] ??= make());
}
