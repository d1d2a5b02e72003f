import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { $lib: path.resolve('src/lib') } },
  test: {
    include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
