/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker: it makes the app installable, shows notifications pushed by the server
 * (and closes them once read elsewhere), opens the exact item when one is tapped, and keeps
 * the app shell and the pages visited lately so they open without a network.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `ruche-shell-${version}`;
const PAGES = 'ruche-pages';
/** How many visited pages stay readable offline. */
const MAX_PAGES = 60;
/** How long a navigation waits for the network before showing the copy it has. */
const NETWORK_WAIT_MS = 4000;

type Payload = { type: 'notify'; title: string; body: string; url: string; tag: string; notificationId: string } | { type: 'clear'; tags: string[] };

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll([...build, ...files.filter((f) => !/\.(eml|map)$/.test(f))]))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('ruche-shell-') && key !== SHELL) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

/**
 * Keeps a page for offline reading, with the time it was kept, forgetting the oldest beyond
 * the limit (a page kept again moves to the end: it is deleted, then put).
 */
async function keepPage(request: Request, response: Response) {
  const cache = await caches.open(PAGES);
  const headers = new Headers(response.headers);
  headers.set('x-kept-at', new Date().toISOString());
  // The body is kept decoded, and shown with a mark added: its transfer headers no longer apply.
  headers.delete('content-length');
  headers.delete('content-encoding');
  const body = await response.arrayBuffer();
  await cache.delete(request);
  await cache.put(request, new Response(body, { status: response.status, statusText: response.statusText, headers }));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(old);
}

/**
 * A kept page as it is shown: its `<html>` element says when it was kept, so the page says
 * "possibly out of date" (see lib/offline/NetworkStatus.svelte).
 */
async function keptCopy(request: Request | string): Promise<Response | undefined> {
  const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
  if (!kept) return undefined;
  const at = (kept.headers.get('x-kept-at') ?? new Date(0).toISOString()).replace(/[^0-9TZ:.-]/g, '');
  const html = (await kept.text()).replace(/<html\b/i, `<html data-kept-at="${at}"`);
  return new Response(html, { status: kept.status, statusText: kept.statusText, headers: kept.headers });
}

/** Signing in or out: pages kept for one member are never shown to the next. */
const SESSION_CHANGES = /^\/(login|logout|magic|register)(\/|$)/;

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  if (req.mode === 'navigate' && SESSION_CHANGES.test(url.pathname) && (req.method === 'POST' || url.pathname.startsWith('/magic'))) {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (req.method !== 'GET') return;
  // The app's own files never change under a name: the cache answers first.
  if (url.pathname.startsWith('/_app/') || files.includes(url.pathname)) {
    event.respondWith(caches.match(req).then((hit) => hit ?? fetch(req)));
    return;
  }
  // Pages: the network first, the kept copy when the network is gone or too slow.
  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        const network = fetch(req).then(async (res) => {
          // Not a redirected answer (a login page kept under the group's address).
          if (res.ok && !res.redirected && res.headers.get('content-type')?.includes('text/html')) await keepPage(req, res.clone());
          return res;
        });
        const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), NETWORK_WAIT_MS));
        try {
          const first = await Promise.race([network, timeout]);
          if (first) return first;
          return (await keptCopy(req)) ?? (await network);
        } catch {
          return (await keptCopy(req)) ?? (await keptCopy('/')) ?? Response.error();
        }
      })(),
    );
  }
});

sw.addEventListener('push', (event) => {
  let p: Payload | null = null;
  try {
    p = event.data?.json() as Payload;
  } catch {
    p = null;
  }
  event.waitUntil(
    (async () => {
      if (p?.type === 'clear') {
        for (const tag of p.tags) for (const n of await sw.registration.getNotifications({ tag })) n.close();
        return;
      }
      if (!p || p.type !== 'notify') return;
      // A newer notification about the same discussion or chat replaces the previous one, and rings again.
      await sw.registration.showNotification(p.title, {
        body: p.body,
        tag: p.tag,
        data: { url: p.url, notificationId: p.notificationId },
        icon: '/icons/icon-192.png',
        badge: '/icons/badge-96.png',
        // @ts-expect-error renotify is supported by Chromium-based browsers
        renotify: true,
        timestamp: Date.now(),
      });
    })(),
  );
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data?.url as string) || '/', sw.location.origin);
  if (target.origin !== sw.location.origin) return;
  event.waitUntil(
    (async () => {
      const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const same = windows.find((w) => new URL(w.url).pathname === target.pathname);
      if (same) {
        await same.focus();
        if (same.url !== target.href) await same.navigate(target.href);
        return;
      }
      const any = windows[0];
      if (any) {
        await any.focus();
        await any.navigate(target.href);
        return;
      }
      await sw.clients.openWindow(target.href);
    })(),
  );
});

/**
 * The page asks to forget what is kept (logging out on a shared device), or to keep a page it
 * reached by a client-side navigation (no page request went through here, only its data).
 */
sw.addEventListener('message', (event) => {
  if (event.data?.type === 'forget') event.waitUntil(caches.delete(PAGES));
  if (event.data?.type === 'keep' && typeof event.data.url === 'string') {
    const url = new URL(event.data.url, sw.location.origin);
    if (url.origin !== sw.location.origin || SESSION_CHANGES.test(url.pathname)) return;
    event.waitUntil(
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(async (res) => {
          if (res.ok && !res.redirected && res.headers.get('content-type')?.includes('text/html')) await keepPage(new Request(url), res);
        })
        .catch(() => undefined),
    );
  }
});
