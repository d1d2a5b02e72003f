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

/** Keeps a page for offline reading, forgetting the oldest beyond the limit. */
async function keepPage(request: Request, response: Response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(old);
}

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== sw.location.origin) return;
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
          if (res.ok && res.headers.get('content-type')?.includes('text/html')) await keepPage(req, res.clone());
          return res;
        });
        const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), NETWORK_WAIT_MS));
        try {
          const first = await Promise.race([network, timeout]);
          if (first) return first;
          const kept = await caches.match(req, { cacheName: PAGES });
          return kept ?? (await network);
        } catch {
          const kept = await caches.match(req, { cacheName: PAGES });
          if (kept) return kept;
          return (await caches.match('/', { cacheName: PAGES })) ?? Response.error();
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

/** The page asks to forget what is kept (logging out on a shared device). */
sw.addEventListener('message', (event) => {
  if (event.data?.type === 'forget') event.waitUntil(caches.delete(PAGES));
});
