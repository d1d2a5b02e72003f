/**
 * One server process for the scale-out tests: the app (from the environment: DATABASE_URL,
 * REDIS_URL) and the WebSocket surface on a plain http server. Prints "READY <port>".
 */
import http from 'node:http';
import { loadConfig } from '../../../src/lib/server/config';
import { createApp } from '../../../src/lib/server/app';
import { attachRealtime } from '../../../src/lib/server/realtime/ws-server';

const config = loadConfig();
const app = await createApp(config, { log: () => {} });
const server = http.createServer((_req, res) => res.end('ok'));
attachRealtime(server, app, { limits: { framesPerSecond: Number(process.env.RT_RATE ?? 10), burst: Number(process.env.RT_BURST ?? 30) } });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as { port: number }).port}\n`);
});
