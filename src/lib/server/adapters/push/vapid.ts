import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';

/**
 * The VAPID key pair that identifies this server to push services, generated on first start
 * and kept in DATA_DIR/vapid.json, so devices stay subscribed across restarts and processes.
 */
const cache = new Map<string, { publicKey: string; privateKey: string }>();
export function vapidKeys(dataDir: string): { publicKey: string; privateKey: string } {
  let k = cache.get(dataDir);
  if (k) return k;
  const file = path.join(dataDir, 'vapid.json');
  try {
    k = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys()) + '\n', { flag: 'wx', mode: 0o600 });
    } catch {
      // Another process wrote it first: use theirs.
    }
    k = JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  if (!k?.publicKey || !k.privateKey) throw new Error(`${file} holds no VAPID keys`);
  cache.set(dataDir, k);
  return k;
}
