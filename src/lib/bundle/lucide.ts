import fs from 'node:fs';
import type { Plugin } from 'vite';

/*
 * Lucide's icons as plain SVG. Each icon of @lucide/svelte is a component that hands its
 * drawing to a generic one (Icon.svelte), which builds the SVG element by element in the
 * browser, through a context, a class merger and a loop: about 4.5 KB of JavaScript on every
 * page for a few fixed drawings. This plugin gives each `@lucide/svelte/icons/<name>` the same
 * drawing, attributes and props (`size`, `class`, anything else on the `<svg>`; `aria-hidden`
 * unless the icon is labelled) as one static `<svg>`, which Svelte compiles to a template
 * string and the server renders as it is.
 */

const iconFile = /[\\/]@lucide[\\/]svelte[\\/]dist[\\/]icons[\\/]([a-z0-9-]+)\.svelte$/;

type IconNode = [tag: string, attrs: Record<string, string | number>][];

const escape = (v: string | number) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/[{}]/g, (c) => `{'${c}'}`);

/** The component for one icon, from the drawing in @lucide/svelte's own file. */
export function staticIcon(name: string, lucideSource: string): string {
  const m = /const iconData = (\{[\s\S]*?\});\s*<\/script>/.exec(lucideSource);
  if (!m) throw new Error(`@lucide/svelte icon "${name}": its drawing was not found`);
  const node = (JSON.parse(m[1]) as { node: IconNode }).node;
  const drawing = node.map(([tag, attrs]) => `<${tag}${Object.entries(attrs).map(([k, v]) => ` ${k}="${escape(v)}"`).join('')} />`).join('');
  return `<script>
  let { size = 24, class: className = undefined, ...rest } = $props();
  // Lucide hides an icon from assistive technologies unless it is given a name or a role.
  const labelled = $derived(Object.keys(rest).some((k) => k.startsWith('aria-') || k === 'role' || k === 'title'));
</script>
<svg xmlns="http://www.w3.org/2000/svg" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" class={['lucide-icon lucide lucide-${name}', className]} aria-hidden={labelled ? undefined : 'true'} {...rest}>${drawing}</svg>
`;
}

export function lucideStatic(): Plugin {
  return {
    name: 'ruche-lucide-static',
    enforce: 'pre',
    load(id) {
      const m = iconFile.exec(id.split('?')[0]);
      if (!m || id.includes('?')) return undefined;
      return staticIcon(m[1], fs.readFileSync(id, 'utf8'));
    },
  };
}
