import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { RequestEvent } from '@sveltejs/kit';
import { loadOr404 } from '$lib/server/http';

/** Streams a file the actor may read; everything else is a 404 with no detail. */
export async function serveFile(event: RequestEvent, variant: 'original' | 'preview'): Promise<Response> {
  const f = await loadOr404(event, () => event.locals.app.files.open(event.locals.actor, event.params.id ?? '', variant));
  const inline = f.mime.startsWith('image/') || f.mime === 'application/pdf';
  const body = Readable.toWeb(fs.createReadStream(f.path)) as ReadableStream;
  return new Response(body, {
    headers: {
      'content-type': f.mime,
      'content-length': String(f.size),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      'cache-control': f.cache,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
