/**
 * Runs the load generator (bench/load.mjs, autocannon) in a child process, so that it does not
 * share the measured server's event loop, and reads its one JSON line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

export type LoadResult = { rps: number; p50_ms: number; p99_ms: number; errors: number; non2xx: number };

/** `cookies`: each request takes the next of these as its Cookie header (many readers of one page). */
export function load(opts: { url: string; connections: number; duration: number; headers: Record<string, string>; cookies?: string[]; warmup?: number }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'load.mjs'), JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() as string)) : reject(new Error(`load generator exited with ${code}`))));
  });
}

/** Waits until `origin` answers /healthz (a server or a load balancer just started), or fails after ~30 s or when `child` exits. */
export async function waitUntilUp(origin: string, what: string, child?: { exitCode: number | null }): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${origin}/healthz`).then((r) => r.ok, () => false)) return;
    if (child && child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start`);
}
