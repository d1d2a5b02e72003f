import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { messagesPerLanguage } from './src/lib/i18n/build.ts';
import svelteConfig from './svelte.config.js';

const kit = svelteConfig.kit ?? {};

export default defineConfig({
  plugins: [messagesPerLanguage({ appDir: kit.appDir, base: kit.paths?.base }), sveltekit()],
  server: { port: 3000 },
  build: { target: 'es2020' },
  ssr: { external: ['better-sqlite3', 'sharp', '@node-rs/argon2', 'pg'] },
});
