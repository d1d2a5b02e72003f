import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const cache = new Map<string, Buffer>();

/**
 * A 32-byte key generated on first use and kept in DATA_DIR/<name> (mode 0600), so what it
 * signs survives restarts and is shared by every process using the same data directory.
 * When two processes race to create it, both end up with the file that won.
 */
export function secretFile(dataDir: string, name: string): Buffer {
  const file = path.join(dataDir, name);
  let s = cache.get(file);
  if (s) return s;
  try {
    s = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
    } catch {
      // Another process created it first: use theirs.
    }
    s = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64url');
  }
  cache.set(file, s);
  return s;
}
