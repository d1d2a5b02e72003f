import type http from 'node:http';
import type { App } from '../app';
import { handleOneClick } from './one-click';
import { startInboundSmtp, type InboundServer } from './smtp-in';

/**
 * The mail parts of the production entry: the inbound SMTP server (SMTP_IN_PORT on HOST;
 * 0 turns it off), the scheduler (every minute: enqueue the digests whose local time has
 * passed, send the task reminders that are due and make the next occurrences of recurring
 * tasks, and forget held mail that expired; every step is claimed in the database, so all
 * processes may run it) and the one-click unsubscribe endpoint.
 */
export function startMailSurfaces(app: App, o: { quiet?: boolean; schedulerMs?: number } = {}) {
  let smtp: InboundServer | null = null;
  let timer: NodeJS.Timeout | null = null;
  const log = o.quiet ? () => {} : (m: string) => console.log(`[ruche] ${m}`);
  return {
    handleHttp: (req: http.IncomingMessage, res: http.ServerResponse) => handleOneClick(app, req, res),
    async start() {
      if (app.config.smtpInPort > 0) {
        try {
          smtp = await startInboundSmtp(app, { port: app.config.smtpInPort, host: app.config.host, log });
          log(`mail in on ${app.config.host} port ${smtp.port} for @${app.config.mailDomain}`);
        } catch (e) {
          // Several app processes on one host: one of them takes inbound mail, the others serve pages.
          if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
          console.warn(`[ruche] mail in: port ${app.config.smtpInPort} is taken; inbound mail is left to the process holding it`);
        }
      }
      const tick = () => {
        void app.email.digests
          .scheduleDue()
          .then((n) => n > 0 && app.jobs.poke())
          .catch((e: Error) => log(`digest scheduler: ${e.message}`));
        void app.email.purgeHeld().catch((e: Error) => log(`held mail purge: ${e.message}`));
        void app.tasks.scheduler
          .tick()
          .then((n) => n.reminders + n.recurrences > 0 && app.jobs.poke())
          .catch((e: Error) => log(`task scheduler: ${e.message}`));
      };
      timer = setInterval(tick, o.schedulerMs ?? 60_000);
      tick();
    },
    async close() {
      if (timer) clearInterval(timer);
      await smtp?.close();
    },
  };
}
