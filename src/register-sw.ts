// Registers the service worker of the production build (public/sw.js): cross-origin isolation on hosts
// that cannot send COOP/COEP headers (wasm threads need it) and offline use after the first visit. The
// dev server sends the headers itself and is not cached, so nothing happens there.
const reloadKey = 'latentflow-sw-reload';

export async function registerServiceWorker(): Promise<void> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const url = new URL('sw.js', document.baseURI);
  url.searchParams.set('v', __LATENTFLOW_BUILD__);
  const registration = await navigator.serviceWorker.register(url, { scope: './' });
  if (window.crossOriginIsolated) {
    sessionStorage.removeItem(reloadKey);
    return;
  }
  // Not isolated: the host sent no headers and this page did not come through the worker yet. Once the
  // worker controls the page, load it again through the worker (once: a browser that will not isolate
  // must not reload for ever; the app then runs wasm on one thread and says so).
  if (sessionStorage.getItem(reloadKey)) return;
  const reload = () => {
    sessionStorage.setItem(reloadKey, '1');
    location.reload();
  };
  if (navigator.serviceWorker.controller) return reload();
  navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
  void registration;
}

registerServiceWorker().catch((e: unknown) => console.warn('latentflow: service worker not registered:', e));
