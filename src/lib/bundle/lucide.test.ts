import fs from 'node:fs';
import path from 'node:path';
import { compile } from 'svelte/compiler';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { staticIcon } from './lucide';

const lucideDir = path.resolve('node_modules/@lucide/svelte/dist/icons');
const source = (name: string) => fs.readFileSync(path.join(lucideDir, `${name}.svelte`), 'utf8');

/** Compiles the generated component for the server and renders it with `props`. */
async function rendered(name: string, props: Record<string, unknown>): Promise<string> {
  const js = compile(staticIcon(name, source(name)), { generate: 'server', filename: `${name}.svelte` }).js.code;
  const file = path.join(fs.mkdtempSync(path.join(process.cwd(), 'node_modules', '.icon-')), `${name}.js`);
  fs.writeFileSync(file, js);
  try {
    const { default: Icon } = await import(file);
    return render(Icon, { props }).body;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

describe('Lucide icons as plain SVG', () => {
  it('draws what Lucide draws, at the size asked, hidden from assistive technologies', async () => {
    const html = await rendered('bell', { size: 22 });
    expect(html).toContain('width="22"');
    expect(html).toContain('height="22"');
    expect(html).toContain('viewBox="0 0 24 24"');
    expect(html).toContain('stroke="currentColor"');
    expect(html).toContain('class="lucide-icon lucide lucide-bell');
    expect(html).toContain('aria-hidden="true"');
    for (const d of [...source('bell').matchAll(/"d": "([^"]+)"/g)].map((m) => m[1])) expect(html).toContain(`d="${d}"`);
  });

  it('keeps other attributes and elements of a drawing, and lets a labelled icon be read', async () => {
    const html = await rendered('circle-check', { class: 'done', 'aria-label': 'Done', role: 'img' });
    expect(html).toContain('<circle');
    expect(html).toContain('lucide-circle-check done');
    expect(html).toContain('aria-label="Done"');
    expect(html).not.toContain('aria-hidden');
  });
});
