/**
 * The production entry: one node:http server hosting the SvelteKit pages and API, plus the
 * job runner (and, as they arrive, WebSocket and inbound SMTP). `npm start` runs this.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, ConfigError, type Config } from '../src/lib/server/config';
import { createApp, setGlobalApp, type App } from '../src/lib/server/app';
import { attachRealtime, type RealtimeOptions, type RealtimeServer } from '../src/lib/server/realtime/ws-server';
import { startMailSurfaces } from '../src/lib/server/mail-in/start';
import { startMaintenance } from '../src/lib/server/jobs/maintenance';
import { assetHeaders, isBuiltScriptOrStyle, securityHeaders } from '../src/lib/server/security-headers';
import { closeAfter413, parseBytes, refuseBadPath, refuseOversize } from './edge';
import { inArrivalOrder } from './turns';

export type Running = { app: App; server: http.Server; url: string; realtime: RealtimeServer; stop(): Promise<void> };

/** Starts everything; used by `npm start` and by tests that need a real server. */
export async function startServer(config: Config, opts: { buildDir?: string; app?: App; quiet?: boolean; realtime?: RealtimeOptions } = {}): Promise<Running> {
  process.env.ORIGIN ??= config.baseUrl;
  // The largest upload plus 1 MB of multipart headers and text fields.
  process.env.BODY_SIZE_LIMIT ??= String(config.maxUploadBytes + 1024 * 1024);
  const app = opts.app ?? (await createApp(config));
  setGlobalApp(Promise.resolve(app));
  // Inbound SMTP (SMTP_IN_PORT, 0 = off) and the digest scheduler.
  const mail = startMailSurfaces(app, { quiet: opts.quiet });
  const buildDir = opts.buildDir ?? path.resolve('build');
  const { handler } = await import(pathToFileURL(path.join(buildDir, 'handler.js')).href);
  const log = opts.quiet ? () => {} : (m: string) => console.log(`[ruche] ${m}`);
  const bodyLimit = parseBytes(process.env.BODY_SIZE_LIMIT);
  const maxMb = Math.round(config.maxUploadBytes / 1048576);
  const headers = securityHeaders(config.baseUrl);
  const scriptHeaders = assetHeaders(config.baseUrl);
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // On every response, static assets and the refusals below included (SvelteKit's own
    // responses get them again from hooks.server.ts); the app's built scripts and style sheets
    // get those that apply to them.
    const pathname = (req.url ?? '/').split('?')[0];
    for (const [name, value] of isBuiltScriptOrStyle(pathname) ? scriptHeaders : headers) res.setHeader(name, value);
    if (refuseOversize(req, res, bodyLimit, maxMb) || refuseBadPath(req, res, log)) return;
    closeAfter413(req, res);
    // RFC 8058 one-click unsubscribe POSTs carry no Origin: answered before SvelteKit's CSRF check.
    if (!mail.handleHttp(req, res)) handler(req, res);
  };
  // Requests are served in the order they arrive, a slice per turn of the loop, so that a busy
  // server keeps accepting new connections (see turns.ts).
  const serve = inArrivalOrder(onRequest);
  const server = http.createServer(serve);
  // "Expect: 100-continue": an oversize body is refused before the client sends it.
  server.on('checkContinue', (req, res) => {
    if (Number(req.headers['content-length']) <= bodyLimit || !req.headers['content-length']) res.writeContinue();
    serve(req, res);
  });
  // WebSocket on the same port: upgrades on /ws, authenticated by the session cookie or a token.
  const realtime = attachRealtime(server, app, opts.realtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  app.jobs.start();
  await mail.start();
  // Housekeeping, once an hour whatever the number of processes: unused uploads, old keys.
  const maintenance = startMaintenance(app.maintenance, () => app.jobs.poke(), log);
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://localhost:${port}`;
  if (!opts.quiet) console.log(`[ruche] listening on ${config.baseUrl} (port ${port}, ${app.dialect}, data in ${config.dataDir})`);
  return {
    app,
    server,
    url,
    realtime,
    async stop() {
      maintenance.stop();
      await realtime.close();
      await mail.close();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
      await app.close();
    },
  };
}

const isMain = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (isMain) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const running = await startServer(config);
  const shutdown = async (sig: string) => {
    console.log(`[ruche] ${sig}: shutting down`);
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
