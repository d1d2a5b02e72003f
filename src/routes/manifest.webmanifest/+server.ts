import type { RequestHandler } from './$types';

/**
 * The web app manifest: what Chrome, Edge and Android need to install Ruche, and what Safari
 * uses on the iOS Home Screen. Named after the association; shortcuts to My tasks and Chats.
 */
export const GET: RequestHandler = async ({ locals }) => {
  const instance = await locals.app.instance.get();
  const name = instance?.name || 'Ruche';
  const t = locals.t;
  const manifest = {
    id: '/',
    name,
    short_name: name.length <= 12 ? name : 'Ruche',
    description: instance?.description || t('app.description'),
    lang: locals.locale,
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#fffbeb',
    theme_color: '#b45309',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      { name: t('app.shortcut.tasks'), url: '/tasks', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
      { name: t('app.shortcut.chats'), url: '/messages', icons: [{ src: '/icons/icon-192.png', sizes: '192x192' }] },
    ],
  };
  return new Response(JSON.stringify(manifest), { headers: { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'public, max-age=3600' } });
};
