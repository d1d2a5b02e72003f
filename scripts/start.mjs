// `npm start`: builds the pages when the build is missing or older than the sources, then
// runs the production entry (build/main.mjs). A fresh clone needs only `npm ci && npm start`.
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
const age = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
const built = Math.min(age(path.resolve('build/handler.js')), age(path.resolve('build/main.mjs')));
const sources = Math.max(newest('src'), newest('static'), newest('server'), fs.statSync('svelte.config.js').mtimeMs);
if (built < sources || process.env.RUCHE_REBUILD) {
  console.log('[ruche] building the pages and the server (first start or sources changed)…');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// The compiled entry (scripts/build.mjs): node alone, no TypeScript loader in the process.
const child = spawn(process.execPath, ['build/main.mjs'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
