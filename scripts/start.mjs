// `npm start`: builds the pages when the build is missing or older than the sources, then
// runs the production entry. A fresh clone needs only `npm ci && npm start`.
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const newest = (dir) => {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
};
const handler = path.resolve('build/handler.js');
const built = fs.existsSync(handler) ? fs.statSync(handler).mtimeMs : 0;
const sources = Math.max(newest('src'), newest('static'), fs.statSync('svelte.config.js').mtimeMs);
if (built < sources || process.env.RUCHE_REBUILD) {
  console.log('[ruche] building the pages (first start or sources changed)…');
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
