import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { openDatabase, type DbHandle } from './db/connect';
import { createPageCache } from './page-cache';

/**
 * How long a kept page may be served: what changes with time alone ("5 min ago", "due today")
 * is at most this late, until the page's own clock takes over.
 */
const PAGE_MAX_AGE_MS = 30_000;
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
import { createMailSender } from './domain/email/send';
import { MemoryBus, RedisBus, type Bus } from './realtime/bus';
import { Hub } from './realtime/hub';
import { createPipeline, inboxChannel, createNotificationsService, unreadCount, type Notifiers, type SubjectVisibility } from './domain/notifications';
import { emailChannel } from './domain/email/channel';
import { createPushSender, createPushService, enqueueClears, pushChannel } from './domain/push';
import { webPushTransport } from './adapters/push/web-push';
import type { PushTransport } from './domain/push/port';
import { discussionNotifiers, discussionSubjects } from './domain/discussions/discussions.notify';
import { discussionDigest } from './domain/discussions/discussions.digest';
import { chatNotifiers, chatSubjects } from './domain/chat/chat.notify';
import { groupNotifiers, groupSubjects } from './domain/groups/groups.notify';
import { taskNotifiers, taskSubjects } from './domain/tasks/tasks.notify';
import { TASK_LIVE_EVENT_TYPES } from './domain/tasks/tasks.events';
import { createTasksService } from './domain/tasks/tasks.service';
import { taskDigest } from './domain/tasks/tasks.digest';
import { createInflight } from './kernel/inflight';
import { markLive, markNotifying } from './kernel/events';
import { LIVE_EVENT_TYPES } from './domain/discussions/live';
import { decideNotifiers, decideSubjects } from './domain/decide/decide.notify';
import { DECIDE_LIVE_TYPES } from './domain/decide/decide.events';
import { decideDigest } from './domain/decide/decide.digest';
import { createDecideService, type TasksPort } from './domain/decide/decide.service';

/** Every feature's notifiers and the visibility of what its notices are about. */
export const notifiers: Notifiers = { ...discussionNotifiers, ...chatNotifiers, ...groupNotifiers, ...taskNotifiers, ...decideNotifiers };
export const subjects: SubjectVisibility = { ...discussionSubjects, ...chatSubjects, ...groupSubjects, ...taskSubjects, ...decideSubjects };
markNotifying(Object.keys(notifiers));
markLive(LIVE_EVENT_TYPES);
markLive(TASK_LIVE_EVENT_TYPES);
// Polls, votes, events, RSVPs, agendas and minutes: a group's agenda and poll pages refresh.
markLive(DECIDE_LIVE_TYPES);
// A group chat's new message: its members' unread chats (navigation, home) recount.
markLive(['chat.message_posted']);

export type AppOptions = {
  clock?: Clock;
  mail?: MailTransport;
  handle?: DbHandle;
  log?: (m: string) => void;
  /** Off only in the notification benchmark, to measure a write without the pipeline. */
  notifications?: boolean;
  /** Where pushes go; Web Push (with this server's VAPID keys) unless given. */
  push?: PushTransport;
};

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
  const deps: Deps = { h, db: h.db, dialect: h.dialect, clock, config, pokeJobs: () => runner?.poke(), log, noticeSubjects: subjects };
  const digests = createDigests(deps, [discussionDigest, taskDigest, decideDigest]);
  // Every mail leaves through one sender: failing addresses are skipped there, return paths signed.
  const sendMail = createMailSender(deps, mail);
  const files = createFilesService(deps);
  const maintenance = createMaintenance(deps, files);

  // Realtime fan-out: Redis pub/sub when several processes share the work, memory otherwise.
  const bus: Bus = config.redisUrl ? new RedisBus(config.redisUrl, 'ruche:realtime', log) : new MemoryBus();
  if (bus instanceof RedisBus)
    await Promise.race([bus.ready, new Promise<void>((r) => setTimeout(() => (log('redis: not subscribed yet; realtime fan-out across processes starts when it is'), r()), 10_000).unref())]);
  const hub = new Hub(bus);

  // One notification pipeline: each feature's notifiers, the inbox and mail channels.
  deps.inboxLive = {
    changed(userIds) {
      void (async () => {
        for (const id of new Set(userIds)) hub.toUser(id, { type: 'inbox', unread: await unreadCount(h.db, id) });
      })().catch((e) => log(`inbox live: ${(e as Error).message}`));
    },
    // Read on one device: the others close what they show about it.
    read: (tx, userId, tags, at) => enqueueClears(tx, userId, tags, new Date(at)),
  };
  const push = opts.push ?? webPushTransport(config);
  // Live pages: a group's content changed, told after commit to every process.
  deps.groupLive = (groupId, type, data, actorId) => {
    const ids: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) if (typeof v === 'string' && k.endsWith('Id')) ids[k] = v;
    hub.publishNotice(groupId, type, ids, actorId);
  };
  const mailChannel = emailChannel(deps);
  /**
   * Tasks as deciding and meeting see them: action items of minutes become tasks, a task goes
   * on a meeting's agenda, a member's tasks appear in their calendar feed on their due dates.
   */
  const tasks = createTasksService(deps);
  const tasksForDecide: TasksPort = {
    createFromActionItem: (a, i) => tasks.meetings.fromActionItem(a, i),
    taskForAgenda: (a, id) => tasks.meetings.taskForAgenda(a, id),
    dueDatesFor: (u, from, to) => tasks.meetings.dueDatesFor(u, from, to),
  };
  const decide = createDecideService(deps, tasksForDecide);
  if (opts.notifications !== false) deps.notifications = createPipeline(deps, { notifiers, channels: [inboxChannel(deps.inboxLive), mailChannel, pushChannel(deps)] });
  runner = new JobRunner(
    h,
    clock,
    {
      'mail.send': async (m) => void (await sendMail(m)),
      'digest.build': async (p) => void (await digests.build(p)),
      'mail.flush': async (p) => void (await mailChannel.flush(p)),
      'push.send': createPushSender(deps, push),
      'maintenance.sweep': async () => void (await maintenance.sweep()),
      // Reminders and deadlines: each sweep enqueues the next five-minute slot's.
      'decide.tick': async (p) => {
        await decide.tick();
        await decide.scheduleTick(new Date(Math.max(Date.parse(p.at) + 5 * 60_000, clock.now().getTime())));
      },
    },
    log,
  );
  // The runner that starts (the production entry's) also starts the reminder sweeps.
  const startJobs = runner.start.bind(runner);
  runner.start = (intervalMs?: number) => {
    void decide.scheduleTick().catch((e: Error) => log(`decide scheduler: ${e.message}`));
    startJobs(intervalMs);
  };

  const discussions = createDiscussionsService(deps);
  const inflight = createInflight();
  // Rendered pages, kept while the database stays as it was (page-cache.ts).
  const pages = h.generation && config.pageCacheBytes > 0 ? createPageCache({ generation: h.generation, maxBytes: config.pageCacheBytes, maxAgeMs: PAGE_MAX_AGE_MS, now: () => clock.now().getTime() }) : null;
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
    discussions,
    files,
    maintenance,
    // Mail posts through ports: replies to a discussion's mail, comments by answering a task's
    // mail, and answers to an invitation ("yes", "oui", "ja").
    email: {
      ...createEmailService(deps, discussions, {
        tasks: { comment: tasks.comment, get: tasks.get },
        rsvp: { byEvent: (a, r) => decide.rsvpByEvent(a, r), byUid: (a, r) => decide.rsvpByUid(a, r) },
      }),
      digests,
    },
    decide,
    notifications: createNotificationsService(deps, { subjects, live: deps.inboxLive }),
    push: createPushService(deps, () => push.publicKey),
    chat: createChatService(deps, {
      event: (room, seq, frame) => hub.publishEvent(room, seq, frame),
      direct: (userIds, room) => userIds.forEach((id) => hub.toUser(id, { type: 'notice', group: null, kind: 'chat.message_posted', room, discussionId: null })),
    }),
    tasks,
    realtime: { bus, hub },
    pages,
    /** Requests being handled (counted by hooks.server.ts), so that closing waits for them. */
    inflight,
    /** Stops the jobs and closes the database once the requests in flight are done (at most 10 s). */
    async close() {
      runner?.stop();
      await inflight.idle(10_000);
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
