import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport, version as viteVersion, type Plugin } from 'vite';
import type { Dictionary, Locale } from './core';

/*
 * Splits the translations per language at build time. `virtual:ruche-messages/fr` (and /nl,
 * /en) is a module holding only that language's dictionary, so a page downloads the member's
 * language and not all three (./load.ts imports it). The message files stay the one source:
 * they are evaluated here, through Vite's own module runner, and written out as JSON.
 *
 * Each language's file gets a name the server can know without the browser build's manifest
 * (it is built first): its content's hash. `virtual:ruche-messages/urls` gives those addresses,
 * so a page names its language's file in its head (`modulepreload`, see +layout.svelte) and
 * the browser fetches it with the page's other scripts, instead of one round trip later, when
 * hydration asks for it.
 */

const PREFIX = 'virtual:ruche-messages/';
const RESOLVED = '\0' + PREFIX;
const URLS = PREFIX + 'urls';
const LOCALES = ['fr', 'nl', 'en'] as const;
const index = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.ts');

type Index = { messagesOf(l: Locale): Dictionary; isLocale(s: unknown): s is Locale };

/** The module of one language: JSON.parse of a string is read faster by browsers than an object literal this large. */
const moduleCode = (d: Dictionary) => `export default JSON.parse(${JSON.stringify(JSON.stringify(d))});`;

/**
 * The Vite plugin that serves one module per language (registered in vite.config.ts).
 * `appDir` and `base` are SvelteKit's (`kit.appDir`, `kit.paths.base`): the language files sit
 * among its immutable files.
 */
export function messagesPerLanguage({ appDir = '_app', base = '' }: { appDir?: string; base?: string } = {}): Plugin {
  let loaded: Promise<{ module: Index; dependencies: string[] }> | undefined;
  let building = false;
  const load = () => (loaded ??= runnerImport<Index>(index, { configFile: false, logLevel: 'error' }));
  /** Where a language's file is written: named by its content (and the bundler that writes it), so it can be cached for ever. */
  async function fileName(l: Locale): Promise<string> {
    const { module } = await load();
    const hash = createHash('sha256').update(viteVersion).update(moduleCode(module.messagesOf(l))).digest('base64url').slice(0, 10);
    return `${appDir}/immutable/chunks/messages-${l}.${hash}.js`;
  }
  return {
    name: 'ruche-messages-per-language',
    configResolved(config) {
      building = config.command === 'build';
    },
    async buildStart() {
      // The browser's build: each language is its own file, under the name the server computes.
      if (!building || this.environment.config.build.ssr) return;
      for (const l of LOCALES) this.emitFile({ type: 'chunk', id: PREFIX + l, fileName: await fileName(l) });
    },
    resolveId(id) {
      return id.startsWith(PREFIX) ? '\0' + id : undefined;
    },
    async load(id) {
      if (!id.startsWith(RESOLVED)) return undefined;
      const { module, dependencies } = await load();
      for (const file of dependencies) this.addWatchFile(file);
      if (id === '\0' + URLS) {
        // In development the files are served one by one, without a name to announce.
        const urls = building ? Object.fromEntries(await Promise.all(LOCALES.map(async (l) => [l, `${base}/${await fileName(l)}`]))) : {};
        return `export default ${JSON.stringify(urls)};`;
      }
      const locale = id.slice(RESOLVED.length);
      if (!module.isLocale(locale)) this.error(`No language "${locale}" in ${PREFIX}`);
      return moduleCode(module.messagesOf(locale));
    },
    watchChange(id) {
      if (id.includes(`${path.sep}i18n${path.sep}`)) loaded = undefined;
    },
    handleHotUpdate({ file, server, modules }) {
      if (!file.includes(`${path.sep}i18n${path.sep}`)) return;
      loaded = undefined;
      // The language modules are read again, and the pages that use them reload.
      const stale = LOCALES.flatMap((l) => [...(server.moduleGraph.getModulesByFile(RESOLVED + l) ?? []), server.moduleGraph.getModuleById(RESOLVED + l)]).filter((m) => !!m);
      for (const m of stale) server.moduleGraph.invalidateModule(m);
      return [...modules, ...stale];
    },
  };
}
