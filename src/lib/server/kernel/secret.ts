import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Signed mail addresses and links. The HMAC secret is generated on first start and kept in
 * DATA_DIR/mail-secret, so reply addresses and unsubscribe links survive restarts and cannot
 * be guessed or forged by anyone without the data directory.
 */
const secrets = new Map<string, Buffer>();
export function serverSecret(dataDir: string): Buffer {
  let s = secrets.get(dataDir);
  if (s) return s;
  const file = path.join(dataDir, 'mail-secret');
  try {
    s = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const fresh = randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, fresh + '\n', { flag: 'wx', mode: 0o600 });
    } catch {
      // Another process created it first: use theirs.
    }
    s = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  }
  secrets.set(dataDir, s);
  return s;
}

