// `npm test`: unit and integration tests (SQLite, and PostgreSQL when TEST_PG_URL is set),
// then the end-to-end journeys in Chromium against a real build. Ends with one plain line
// "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-vitest-'));
const vitest = 'node_modules/vitest/vitest.mjs';
const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

function run(label, args) {
  const out = path.join(tmp, `${label}.json`);
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(process.execPath, [vitest, 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra], { stdio: 'inherit', env: process.env });
  if (fs.existsSync(out)) {
    const j = JSON.parse(fs.readFileSync(out, 'utf8'));
    passed += j.numPassedTests;
    // A file that failed outside any test (a beforeAll, an import) counts as one failure.
    const brokenFiles = j.testResults.filter((s) => s.status === 'failed' && !s.assertionResults.some((a) => a.status === 'failed')).length;
    failed += j.numFailedTests + brokenFiles;
    skipped += j.numPendingTests + j.numTodoTests;
    if (r.status !== 0 && j.numFailedTests + brokenFiles === 0) failed += 1;
  } else if (r.status !== 0) failed += 1;
}

if (!process.env.SKIP_CHECK) {
  // The type check counts as one test: pages, services and tests must agree on their types.
  console.log('\n=== type check ===');
  spawnSync(process.execPath, ['node_modules/@sveltejs/kit/svelte-kit.js', 'sync'], { stdio: 'inherit' });
  const c = spawnSync(process.execPath, ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human'], { stdio: 'inherit' });
  if (c.status === 0) passed += 1;
  else failed += 1;
}
if (!process.env.SKIP_CHECK) {
  // Feature boundaries count as one test: features tell people through the notification
  // pipeline, mail reads no other feature (see .dependency-cruiser.cjs).
  console.log('\n=== feature boundaries ===');
  const d = spawnSync(process.execPath, ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src/lib/server', '--config', '.dependency-cruiser.cjs'], { stdio: 'inherit' });
  if (d.status === 0) passed += 1;
  else failed += 1;
}
if (!process.env.SKIP_UNIT) run('unit-and-integration', ['--config', 'vitest.config.ts']);
if (!process.env.SKIP_E2E) {
  if (!process.env.SKIP_BUILD) {
    console.log('\n=== build ===');
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    if (b.status !== 0) failed += 1;
  }
  run('end-to-end', ['--config', 'vitest.e2e.config.ts']);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
