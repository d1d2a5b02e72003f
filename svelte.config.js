import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build', precompress: true }),
    csrf: { trustedOrigins: [] },
    // The browser asks the server which page an address is, the first time it goes there,
    // instead of loading the table of all seventy pages (about 3 KB compressed, parsed at the
    // start of every visit) before it can start.
    router: { resolution: 'server' },
    // Each component's style sheet (a few hundred bytes) comes inside the page's HTML: on a
    // slow phone network every separate sheet held the first paint back by a round trip (seven
    // on a discussion page). The app's own sheet (~10 KB) stays one cached file.
    inlineStyleThreshold: 2 * 1024,
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};
