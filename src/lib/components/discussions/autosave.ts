/**
 * Saves a form's title/body as a server draft while the member types (debounced), so the
 * text survives a closed tab or a link followed away. A plain enhancement: without
 * JavaScript the form still posts normally.
 */
export function autosave(form: HTMLFormElement, opts: { key: string; onStatus?: (s: 'saving' | 'saved' | 'failed') => void; delay?: number }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null;
  const value = (name: string) => field(name)?.value ?? '';
  async function save() {
    const payload = JSON.stringify({ title: value('title'), body: value('body') });
    if (payload === last) return;
    opts.onStatus?.('saving');
    try {
      const res = await fetch(`/api/v1/drafts/${encodeURIComponent(opts.key)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: payload });
      if (!res.ok) throw new Error(String(res.status));
      last = payload;
      opts.onStatus?.('saved');
    } catch {
      opts.onStatus?.('failed');
    }
  }
  const onInput = () => {
    clearTimeout(timer);
    timer = setTimeout(save, opts.delay ?? 1000);
  };
  const onSubmit = () => clearTimeout(timer);
  // What the server already has is what it rendered (the fields' defaults), not what they hold
  // now: text typed before the page's scripts started is saved at the first input it hears.
  last = JSON.stringify({ title: field('title')?.defaultValue ?? '', body: field('body')?.defaultValue ?? '' });
  form.addEventListener('input', onInput);
  form.addEventListener('submit', onSubmit);
  return {
    destroy() {
      clearTimeout(timer);
      form.removeEventListener('input', onInput);
      form.removeEventListener('submit', onSubmit);
    },
  };
}
