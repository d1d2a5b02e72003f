/**
 * Every surface the application serves, so the matrix cannot forget one: pages
 * (`GET /groups/[slug]`), their form actions (`POST /groups/[slug]?/join`, `POST /login` for a
 * default action), endpoints (`PATCH /api/v1/groups/[slug]`) found in src/routes, and every
 * operation of the OpenAPI document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function* routeDirs(dir: string): Generator<string> {
  yield dir;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) yield* routeDirs(path.join(dir, e.name));
}

/** The route id of a folder: `src/routes/groups/[slug]` → `/groups/[slug]` (layout groups dropped). */
function routeId(root: string, dir: string): string {
  const parts = path.relative(root, dir).split(path.sep).filter((p) => p && !/^\(.*\)$/.test(p));
  return `/${parts.join('/')}`;
}

/** Surfaces found in the route files; form actions are read from the loaded `+page.server.ts` modules. */
export async function routeSurfaces(root = path.resolve('src/routes')): Promise<Set<string>> {
  const out = new Set<string>();
  for (const dir of routeDirs(root)) {
    const id = routeId(root, dir);
    const has = (f: string) => fs.existsSync(path.join(dir, f));
    if (has('+page.svelte') || has('+page.server.ts') || has('+page.ts')) out.add(`GET ${id}`);
    if (has('+page.server.ts')) {
      const mod = (await import(pathToFileURL(path.join(dir, '+page.server.ts')).href)) as { actions?: Record<string, unknown> };
      for (const name of Object.keys(mod.actions ?? {})) out.add(name === 'default' ? `POST ${id}` : `POST ${id}?/${name}`);
    }
    if (has('+server.ts')) {
      const src = fs.readFileSync(path.join(dir, '+server.ts'), 'utf8');
      for (const m of METHODS) if (new RegExp(`export\\s+(const|async function|function)\\s+${m}\\b`).test(src)) out.add(`${m} ${id}`);
    }
  }
  return out;
}

/** Operations of the OpenAPI document, as route surfaces (`/groups/{slug}` → `/api/v1/groups/[slug]`). */
export function openApiSurfaces(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  const out = new Set<string>();
  for (const [p, ops] of Object.entries(doc.paths))
    for (const m of Object.keys(ops)) if ((METHODS as readonly string[]).includes(m.toUpperCase())) out.add(`${m.toUpperCase()} /api/v1${p.replace(/\{(\w+)\}/g, '[$1]')}`);
  return out;
}
