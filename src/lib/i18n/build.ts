import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport, type Plugin } from 'vite';
import type { Dictionary, Locale } from './core';
import type { PageTextsMap } from './page-keys';

/*
 * Which texts each page needs, found at build time. A page carries its texts in its data (see
 * ./page-texts.ts): those its components and their imports name, not the whole dictionary (a
 * discussion page names about a hundred of some fifteen hundred keys).
 *
 * The server's build holds every page's modules, as the browser's does: for each file of
 * src/routes (a page, a layout, an error page, their universal loads) this plugin walks the
 * modules it imports, statically or not, and reads in their source every string that is a key
 * of the dictionary, and every template like `tasks.priority.${p}` as all the keys it can
 * produce. A module that shows keys chosen by data (a notification's summary, sent by the
 * server) names them in a comment: `page texts: notify.*`.
 *
 * The result replaces a placeholder in the server's bundle once the module graph is complete
 * (renderChunk). In development it is null and pages carry the whole dictionary.
 */

const ID = 'virtual:ruche-texts/pages';
const RESOLVED = '\0' + ID;
const PLACEHOLDER = '"__RUCHE_PAGE_TEXTS__"';
const here = path.dirname(fileURLToPath(import.meta.url));
const index = path.join(here, 'index.ts');


type Index = { messagesOf(l: Locale): Dictionary };

/** The keys a module's source names: string literals that are keys, templates as every key they can produce, and `page texts:` notes. */
export function keysNamedIn(source: string, keys: readonly string[], known: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/(['"`])([a-z][\w-]*(?:\.[\w-]+)+)\1/g)) if (known.has(m[2])) found.add(m[2]);
  const prefixes = [...source.matchAll(/`([a-z][\w-]*(?:\.[\w-]*)*[._-])\$\{/g)].map((m) => m[1]);
  for (const m of source.matchAll(/page texts:\s*([\w.*, -]+)/g)) for (const p of m[1].split(/[\s,]+/)) if (p) prefixes.push(p.replace(/\*$/, ''));
  for (const p of prefixes) if (p.includes('.')) for (const k of keys) if (k.startsWith(p)) found.add(k);
  return found;
}

/** `src/routes/d/[id]/+page.svelte` → `['/d/[id]', 'page']` (the root is `/`); files that are not pages, layouts or error pages → null. */
export function routeFile(file: string, routesDir: string): [string, 'page' | 'layout'] | null {
  const rel = path.relative(routesDir, file).split(path.sep).join('/');
  const m = /^(?:(.*)\/)?\+(page|layout|error)(?:@[^.]*)?\.(svelte|ts|js)$/.exec(rel);
  if (!m || rel.startsWith('..')) return null;
  return [`/${m[1] ?? ''}`, m[2] === 'page' ? 'page' : 'layout'];
}

/** The Vite plugin (registered in vite.config.ts). */
export function textsPerPage(): Plugin {
  let building = false;
  let root = process.cwd();
  return {
    name: 'ruche-texts-per-page',
    configResolved(config) {
      building = config.command === 'build';
      root = config.root;
    },
    resolveId(id) {
      return id === ID ? RESOLVED : undefined;
    },
    load(id) {
      if (id !== RESOLVED) return undefined;
      // Parsed from a string, so that the bundler keeps it one value that renderChunk fills in.
      return building && this.environment.config.build.ssr ? `export default JSON.parse(${PLACEHOLDER});` : 'export default null;';
    },
    async renderChunk(code) {
      if (!code.includes(PLACEHOLDER)) return null;
      const { module } = await runnerImport<Index>(index, { configFile: false, logLevel: 'error' });
      const keys = Object.keys(module.messagesOf('en'));
      const known = new Set(keys);
      const routesDir = path.resolve(root, 'src/routes');
      const i18nDir = here + path.sep;
      const ownKeys = new Map<string, Set<string>>();
      const keysOf = (file: string) => {
        let k = ownKeys.get(file);
        if (!k) ownKeys.set(file, (k = fs.existsSync(file) ? keysNamedIn(fs.readFileSync(file, 'utf8'), keys, known) : new Set()));
        return k;
      };
      /** The keys of a route file and of every module of the app it imports, the dictionaries themselves left out. */
      const closure = (start: string) => {
        const all = new Set<string>();
        const seen = new Set<string>();
        const stack = [start];
        while (stack.length) {
          const id = stack.pop()!;
          const file = id.split('?')[0];
          if (seen.has(file) || id.startsWith('\0') || file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith(i18nDir) || /\.server\.[jt]s$|[\\/]lib[\\/]server[\\/]/.test(file)) continue;
          seen.add(file);
          for (const k of keysOf(file)) all.add(k);
          const info = this.getModuleInfo(id);
          if (info) stack.push(...info.importedIds, ...info.dynamicallyImportedIds);
        }
        return all;
      };
      const map: PageTextsMap = {};
      for (const id of this.getModuleIds()) {
        const route = routeFile(id.split('?')[0], routesDir);
        if (!route) continue;
        const entry = (map[route[0]] ??= {});
        entry[route[1]] = [...new Set([...(entry[route[1]] ?? []), ...closure(id)])].sort();
      }
      return { code: code.replace(PLACEHOLDER, JSON.stringify(JSON.stringify(map))), map: null };
    },
  };
}
