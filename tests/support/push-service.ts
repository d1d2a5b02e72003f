import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore no types for http_ece
import ece from 'http_ece';
import type { Config } from '../../src/lib/server/config';
import { webPushTransport } from '../../src/lib/server/adapters/push/web-push';

/** A device as a browser would register it: its own key pair and auth secret. */
export type TestDevice = { id: string; endpoint: string; keys: { p256dh: string; auth: string }; ecdh: crypto.ECDH; auth: Buffer };

/**
 * A push service on 127.0.0.1 that speaks the Web Push protocol as FCM or Mozilla's do:
 * takes the encrypted POST, checks the VAPID authorisation and the headers, decrypts the
 * payload with the device's private key (RFC 8291) and keeps it; answers 201, or 410 for a
 * device that is gone.
 */
export async function startPushService() {
  const devices = new Map<string, TestDevice>();
  const gone = new Set<string>();
  const received: { deviceId: string; payload: any; headers: http.IncomingHttpHeaders }[] = [];
  const tls = { key: fs.readFileSync(path.resolve('tests/fixtures/push-tls/key.pem')), cert: fs.readFileSync(path.resolve('tests/fixtures/push-tls/cert.pem')) };
  const server = https.createServer(tls, (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = (req.url ?? '').split('/').pop() ?? '';
      const d = devices.get(id);
      if (req.method !== 'POST' || !d) return void res.writeHead(404).end();
      if (gone.has(id)) return void res.writeHead(410).end();
      if (!/^vapid t=[^,]+, k=/.test(String(req.headers.authorization ?? ''))) return void res.writeHead(401).end('VAPID authorization missing');
      if (req.headers['content-encoding'] !== 'aes128gcm' || !req.headers.ttl) return void res.writeHead(400).end('bad headers');
      try {
        const clear = ece.decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: d.ecdh, authSecret: d.auth.toString('base64url') });
        received.push({ deviceId: id, payload: JSON.parse(clear.toString('utf8')), headers: req.headers });
        res.writeHead(201).end();
      } catch (e) {
        res.writeHead(400).end(String((e as Error).message));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    /** Sends as the app does (Web Push with VAPID), trusting this service's certificate. */
    transport: (config: Config) => webPushTransport(config, { agent: new https.Agent({ ca: tls.cert }) }),
    received,
    /** A new device registered with this push service. */
    device(): TestDevice {
      const ecdh = crypto.createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      const id = crypto.randomBytes(8).toString('hex');
      const d = { id, endpoint: `https://127.0.0.1:${port}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') }, ecdh, auth };
      devices.set(id, d);
      return d;
    },
    /** From now on, the push service answers 410 Gone for this device. */
    forget(d: TestDevice) {
      gone.add(d.id);
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
