/**
 * Reads a .cpuprofile (from `node --cpu-prof` or BENCH_PROFILE) and prints where the time
 * went: self time per function and per file (or package), largest first, as a share of the
 * sampled time, and the idle share (the loop waiting: what is left for more load).
 * Usage: node bench/profile-summary.mjs file.cpuprofile [top=25]
 */
import fs from 'node:fs';

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** The file of a frame, shortened to the package (node_modules/<pkg>) or the project path. */
function where(url) {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  return url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '');
}
const perFn = new Map();
const perFile = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const fn = `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url ? ':' + (f.lineNumber + 1) : ''}`;
  perFn.set(fn, (perFn.get(fn) ?? 0) + us);
  perFile.set(where(f.url) === '(native)' ? f.functionName || '(native)' : where(f.url), (perFile.get(where(f.url) === '(native)' ? f.functionName || '(native)' : where(f.url)) ?? 0) + us);
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + ' %';
const print = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time per file / package', perFile);
print('self time per function', perFn);
