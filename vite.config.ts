import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { textsPerPage } from './src/lib/i18n/build.ts';
import { lucideStatic } from './src/lib/bundle/lucide.ts';

export default defineConfig({
  plugins: [textsPerPage(), lucideStatic(), sveltekit()],
  server: { port: 3000 },
  build: { target: 'es2020' },
  ssr: { external: ['better-sqlite3', 'sharp', '@node-rs/argon2', 'pg'] },
});
