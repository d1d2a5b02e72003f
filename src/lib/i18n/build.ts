import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport, type Plugin } from 'vite';
import type { Dictionary, Locale } from './core';

/*
 * Splits the translations per language at build time. `virtual:ruche-messages/fr` (and /nl,
 * /en) is a module holding only that language's dictionary, so a page downloads the member's
 * language and not all three (./load.ts imports it). The message files stay the one source:
 * they are evaluated here, through Vite's own module runner, and written out as JSON.
 */

const PREFIX = 'virtual:ruche-messages/';
const RESOLVED = '\0' + PREFIX;
const index = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.ts');

type Index = { messagesOf(l: Locale): Dictionary; isLocale(s: unknown): s is Locale };

/** The Vite plugin that serves one module per language (registered in vite.config.ts). */
export function messagesPerLanguage(): Plugin {
  let loaded: Promise<{ module: Index; dependencies: string[] }> | undefined;
  return {
    name: 'ruche-messages-per-language',
    resolveId(id) {
      return id.startsWith(PREFIX) ? '\0' + id : undefined;
    },
    async load(id) {
      if (!id.startsWith(RESOLVED)) return undefined;
      loaded ??= runnerImport<Index>(index, { configFile: false, logLevel: 'error' });
      const { module, dependencies } = await loaded;
      for (const file of dependencies) this.addWatchFile(file);
      const locale = id.slice(RESOLVED.length);
      if (!module.isLocale(locale)) this.error(`No language "${locale}" in ${PREFIX}`);
      // JSON.parse of a string is read faster by browsers than an object literal this large.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(module.messagesOf(locale)))});`;
    },
    watchChange(id) {
      if (id.includes(`${path.sep}i18n${path.sep}`)) loaded = undefined;
    },
    handleHotUpdate({ file, server, modules }) {
      if (!file.includes(`${path.sep}i18n${path.sep}`)) return;
      loaded = undefined;
      // The language modules are read again, and the pages that use them reload.
      const stale = ['fr', 'nl', 'en'].flatMap((l) => [...(server.moduleGraph.getModulesByFile(RESOLVED + l) ?? []), server.moduleGraph.getModuleById(RESOLVED + l)]).filter((m) => !!m);
      for (const m of stale) server.moduleGraph.invalidateModule(m);
      return [...modules, ...stale];
    },
  };
}
