import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { textsPerPage } from './src/lib/i18n/build.ts';
import { chunks } from './src/lib/bundle/chunks.ts';
import { lucideStatic } from './src/lib/bundle/lucide.ts';

export default defineConfig({
  plugins: [textsPerPage(), lucideStatic(), sveltekit(), chunks()],
  server: { port: 3000 },
  // Svelte's and SvelteKit's own code is written in ES2022 (class fields and private methods:
  // Safari 15, Chrome 91, Firefox 90 and later): lowering it further only made every page's
  // JavaScript larger (each private field rewritten as a WeakMap).
  build: { target: 'es2022' },
  ssr: { external: ['better-sqlite3', 'sharp', '@node-rs/argon2', 'pg'] },
});
