/**
 * A server's background work in a process of its own, for tests that need another process
 * writing to the same SQLite file: the job runner sending mail (to .eml files, as a server
 * without SMTP does) and the digest and maintenance schedulers. Prints "ready" once the
 * runner is started, and every line the app logs.
 */
import { loadConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/app';
import { startMaintenance } from '../../src/lib/server/jobs/maintenance';

const app = await createApp(loadConfig(), { log: (m) => console.log(`[worker] ${m}`) });
app.jobs.start(50);
const digests = setInterval(() => void app.email.digests.scheduleDue().catch((e: Error) => console.log(`[worker] digest scheduler: ${e.message}`)), 200);
const maintenance = startMaintenance(app.maintenance, () => app.jobs.poke(), (m) => console.log(`[worker] ${m}`), 200);
console.log('ready');
process.on('SIGTERM', async () => {
  clearInterval(digests);
  maintenance.stop();
  await app.close();
  process.exit(0);
});
