import { defineConfig } from 'vitest/config';
import path from 'node:path';

/** End-to-end journeys: a real build, a real server, Debian's Chromium; one file at a time. */
export default defineConfig({
  resolve: { alias: { $lib: path.resolve('src/lib') } },
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
