// The production build runs from a plain static file server that sends no special headers, under a
// sub-path: the service worker makes the page cross-origin isolated (so the training Worker's wasm uses
// threads), and after one visit the app loads and trains with the server gone.
import { expect } from '@esm-bundle/chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { build } from 'vite';
import { findChromium } from '../../scripts/check-chromium.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(root, 'dist');
const types: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
};

/** A static file server for dist/ under /some/path/, with no COOP/COEP or any other special header. */
function staticHost(): Promise<{ server: Server; url: string; offline(): void; close(): void }> {
  const sockets = new Set<Socket>();
  let offline = false;
  const server = createServer((req, res) => {
    // Offline: every request fails at the network level, as with no connection at all.
    if (offline) return void req.socket.destroy();
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const rel = path.startsWith('/some/path/') ? path.slice('/some/path/'.length) || 'index.html' : null;
    const file = rel === null ? null : normalize(join(dist, rel));
    if (!file || !file.startsWith(dist)) return res.writeHead(404).end();
    try {
      if (!statSync(file).isFile()) return res.writeHead(404).end();
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    resolve({
      server, url: `http://127.0.0.1:${address.port}/some/path/`,
      offline: () => { offline = true; },
      close: () => { server.close(); for (const s of sockets) s.destroy(); },
    });
  }));
}

/** Polls a page expression until it holds; a navigation in between (the worker's reload) is waited out. */
async function until(page: Page, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await page.evaluate(what)) return;
    } catch {
      // the page is navigating
    }
    if (Date.now() > end) {
      // What the app showed, so a CI log says why (its hint line, the run's state and step).
      const seen = await page.evaluate(`(() => { const a = document.querySelector('lf-app'); return JSON.stringify({ hint: a?.shadowRoot?.querySelector('.hint')?.textContent ?? null, state: a?.session?.state, step: a?.run?.progress$?.value?.step }); })()`).catch(String);
      throw new Error(`timed out waiting for ${what}; the app showed ${seen}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const appReady = `!!document.querySelector('lf-app')?.editor && document.querySelector('lf-app').editor.getDoc().nodes.length > 0`;
/** Presses Train and waits for the new run's first steps (a reopened graph's preview run already shows its kept history). */
const trainAndWait = async (page: Page) => {
  await page.evaluate(`window.__before = document.querySelector('lf-app').run ?? null; document.querySelector('lf-app').session.act('train')`);
  await until(page, `(() => { const r = document.querySelector('lf-app').run; return !!r && r !== window.__before && (r.progress$.value?.step ?? 0) > 0; })()`, 120_000);
  return page.evaluate(`document.querySelector('lf-app').run.backend`);
};

describe('the production build on a plain static host', () => {
  let browser: Browser;
  let host: Awaited<ReturnType<typeof staticHost>>;
  const profile = mkdtempSync(join(tmpdir(), 'lf-static-'));

  before(async () => {
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
    host = await staticHost();
    browser = await puppeteer.launch({
      executablePath: findChromium()!, headless: true, userDataDir: profile,
      args: ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    host?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  it('is cross-origin isolated through its service worker and trains on wasm with threads; then works offline', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${host.url}?backend=wasm`, { waitUntil: 'load' });
    // The host sent no COOP/COEP: the service worker takes over and the page reloads once, isolated.
    await until(page, 'self.crossOriginIsolated === true && !!navigator.serviceWorker.controller', 60_000);
    await until(page, appReady, 60_000);
    expect(await trainAndWait(page)).to.equal('wasm');
    const worker = page.workers().find((w) => /worker/.test(w.url()));
    expect(worker, 'the training Worker').not.to.equal(undefined);
    expect(await worker!.evaluate('self.crossOriginIsolated')).to.equal(true);
    // The threaded wasm binary is what the Worker loaded.
    const wasm = (await worker!.evaluate(`performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm'))`)) as string[];
    expect(wasm.some((n) => n.endsWith('tfjs-backend-wasm-threaded-simd.wasm')), wasm.join(', ')).to.equal(true);
    await page.evaluate(`document.querySelector('lf-app').run?.stop()`);

    // The network is gone: the app still loads from the cache, isolated, and trains. (A new navigation,
    // as a person opening the app again; DevTools' own reload would bypass the service worker.)
    host.offline();
    await page.goto(`${host.url}?backend=wasm`, { waitUntil: 'load' });
    await until(page, appReady, 60_000);
    expect(await page.evaluate('self.crossOriginIsolated')).to.equal(true);
    expect(await trainAndWait(page)).to.equal('wasm');
    await page.evaluate(`document.querySelector('lf-app').run?.stop()`);
    expect(errors).to.deep.equal([]);
  });
});
