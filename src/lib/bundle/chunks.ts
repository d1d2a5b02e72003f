import type { Plugin } from 'vite';

/*
 * How the browser's JavaScript is cut into files. Left to itself the bundler makes one file per
 * set of pages that share a module: a discussion page fetched some thirty files, most under
 * 1 KB, and on a phone's HTTP/1.1 connection each file costs a request and about 600 bytes of
 * headers, more than many of the files themselves. Here:
 *
 * - the app's shell: the modules of the root layout and the start of the app (Svelte,
 *   SvelteKit, the top bar, the network indicator…), which every page loads anyway, and the
 *   modules most pages use (SHELL_USERS pages or more), in one file: a page loads it once, and
 *   it compresses better whole;
 * - the modules of the app that several pages share, in files by the set of pages that use them
 *   (the bundler's `entriesAware`), the smaller of these (under MERGE_BYTES) merged into the
 *   nearest: a page may get a few kilobytes it does not use instead of a request for each;
 * - the rest stays with the page that uses it.
 *
 * Only the browser's build: the server's is left as the bundler makes it.
 */

/** A module that this many pages use goes to the shell. */
const SHELL_USERS = 10;
/** A module of the app (not a package) that this many pages use goes to the shared files. */
const SHARED_USERS = 2;
/** Shared files smaller than this (before minifying) join the nearest one. */
const MERGE_BYTES = 6000;

const entryOf = /[\\/]\.svelte-kit[\\/]generated[\\/]client-optimized[\\/](?:nodes[\\/](\d+)|app)\.js$/;

export function chunks(): Plugin {
  const shell = new Set<string>();
  const users = new Map<string, number>();
  return {
    name: 'ruche-chunks',
    apply: 'build',
    buildEnd() {
      if (this.environment.config.build.ssr) return;
      shell.clear();
      users.clear();
      const closure = (start: string[]) => {
        const seen = new Set<string>();
        const stack = [...start];
        while (stack.length) {
          const id = stack.pop()!;
          if (seen.has(id)) continue;
          seen.add(id);
          stack.push(...(this.getModuleInfo(id)?.importedIds ?? []));
        }
        return seen;
      };
      const entries = [...this.getModuleIds()].filter((id) => entryOf.test(id));
      // The app's start, the root layout (node 0) and the root error page (node 1) load on every page.
      const always = entries.filter((id) => ['0', '1', undefined].includes(entryOf.exec(id)![1]));
      for (const id of closure(always)) shell.add(id);
      // Except the app's table of pages itself, which imports every page on demand: in the shell,
      // which every page imports, SvelteKit would take each page's own files for files loaded
      // on demand, and leave their styles out of the page's head (see generateBundle).
      for (const id of always) if (entryOf.exec(id)![1] === undefined) shell.delete(id);
      for (const page of entries) if (!always.includes(page)) for (const id of closure([page])) users.set(id, (users.get(id) ?? 0) + 1);
    },
    generateBundle(_options, bundle) {
      if (this.environment.config.build.ssr) return;
      // SvelteKit finds a page's files and styles by walking the imports from the page's entry,
      // files imported on demand last: a file the shell loads on demand must not be one a page
      // imports, or that page would be served without it.
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const shellChunk = chunks.find((c) => c.name === 'shell');
      const onDemand = new Set(shellChunk?.dynamicImports ?? []);
      for (const c of chunks) for (const i of c.isEntry ? c.imports : []) if (onDemand.has(i)) this.error(`${i} is imported by ${c.fileName} and loaded on demand by the shell`);
    },
    outputOptions(options) {
      if (this.environment.config.build.ssr) return null;
      const used = (id: string) => users.get(id) ?? 0;
      // The style sheet of a shared file is named after it, and the bundler names those by the
      // pages that use them ("shared~nodes/0~nodes/11~…"): the sheet is called "shared" instead.
      const assetFileNames = options.assetFileNames;
      return {
        ...options,
        assetFileNames:
          typeof assetFileNames === 'string'
            ? (asset) => assetFileNames.replace('[name]', (asset.names[0] ?? 'asset').replace(/\.[^.]*$/, '').split('~')[0].replace(/[^\w.-]/g, '-'))
            : assetFileNames,
        codeSplitting: {
          groups: [
            { name: 'shell', test: (id: string) => shell.has(id) || used(id) >= SHELL_USERS, priority: 2 },
            { name: 'shared', test: (id: string) => used(id) >= SHARED_USERS && !/[\\/]node_modules[\\/]/.test(id), priority: 1, entriesAware: true, entriesAwareMergeThreshold: MERGE_BYTES },
          ],
        },
      };
    },
  };
}
