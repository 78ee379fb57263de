// latentflow's service worker, registered by the production build (src/register-sw.ts). Two jobs:
// 1. Cross-origin isolation on any static host: every same-origin response it hands the page carries
//    COOP/COEP/CORP headers, so the page and its training Worker are cross-origin isolated (wasm threads
//    need SharedArrayBuffer) even where the host cannot set headers.
// 2. Offline after the first visit: on install it caches the files the build lists in precache.json (the
//    app, the tfjs wasm binaries, the presets and the small datasets); anything else the app fetches later
//    (the MNIST files) is cached on first use. The app's own files are content-hashed; the page and the
//    manifest are fetched from the network first so a new build takes over on the next visit.
/* eslint-env serviceworker */
const version = new URL(self.location.href).searchParams.get('v') || 'dev';
const cacheName = `latentflow-${version}`;
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(cacheName);
    const manifest = await fetch(new URL('precache.json', self.registration.scope), { cache: 'no-store' });
    if (manifest.ok) {
      const files = await manifest.json();
      // One by one: a missing file must not fail the whole install (the app still works online).
      await Promise.all(files.map((f) => cache.add(new URL(f, self.registration.scope)).catch(() => undefined)));
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith('latentflow-') && key !== cacheName) await caches.delete(key);
    await self.clients.claim();
  })());
});

/** The response with the isolation headers added (opaque and error responses pass as they are). */
function isolated(response) {
  if (!response || response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(isolation)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function fromNetwork(request, cache) {
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone()).catch(() => undefined);
  return response;
}

async function respond(request) {
  const cache = await caches.open(cacheName);
  const url = new URL(request.url);
  const freshFirst = request.mode === 'navigate' || url.pathname.endsWith('/precache.json') || url.pathname.endsWith('/index.html');
  if (freshFirst) {
    try {
      return isolated(await fromNetwork(request, cache));
    } catch (e) {
      const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' })
        ?? (request.mode === 'navigate' ? await cache.match(new URL('./', self.registration.scope)) : undefined);
      if (cached) return isolated(cached);
      throw e;
    }
  }
  const cached = await cache.match(request);
  if (cached) return isolated(cached);
  return isolated(await fromNetwork(request, cache));
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // Range requests (media) and the dev server's module requests are not this worker's business.
  if (request.headers.has('range')) return;
  event.respondWith(respond(request));
});
