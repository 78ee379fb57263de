// Screenshots of every preset as it opens (no training): `npx tsx scripts/preset-shots.ts OUTDIR
// [--sizes 1280x720,1920x1080] [--themes dark,light] [--presets font-ae,...]`. Prints, per shot, the
// canvas zoom, the node titles' size on screen and any node that overlaps another, the minimap or
// the canvas edge, so a look at the pictures comes with numbers.
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';
import { findChromium } from './check-chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const sizes = option('--sizes', '1280x720,1920x1080').split(',').map((s) => s.split('x').map(Number) as [number, number]);
const themes = option('--themes', 'dark,light').split(',');
const presets = option('--presets', readdirSync(join(root, 'graphs')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).join(',')).split(',');
const outDir = args[0] ?? join(tmpdir(), 'lf-preset-shots');
mkdirSync(outDir, { recursive: true });

const chromium = findChromium() as string | null;
if (!chromium) throw new Error('Chromium not found');
const server = await createServer({ configFile: join(root, 'vite.config.ts'), server: { port: 0, open: false }, logLevel: 'warn' });
await server.listen();
const address = server.httpServer!.address();
const port = typeof address === 'object' && address ? address.port : 5173;
const profile = mkdtempSync(join(tmpdir(), 'lf-shots-'));
const browser = await puppeteer.launch({ executablePath: chromium, headless: true, userDataDir: profile, args: ['--no-sandbox', '--disable-gpu-sandbox', '--no-first-run'] });
try {
  const page = await browser.newPage();
  // tsx keeps function names with a `__name` helper the page does not have.
  await page.evaluateOnNewDocument('globalThis.__name = (f) => f;');
  page.on('pageerror', (e) => console.error('page error:', e instanceof Error ? e.message : e));
  await page.goto(`http://localhost:${port}/?backend=wasm`, { waitUntil: 'load' });
  await page.waitForFunction(() => !!(document.querySelector('lf-app') as unknown as { editor?: unknown } | null)?.editor, { timeout: 60_000 });
  for (const [width, height] of sizes) {
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    for (const theme of themes) {
      for (const preset of presets) {
        const report = await page.evaluate(async (name: string, look: string) => {
          const app = document.querySelector('lf-app') as unknown as HTMLElement & { openPreset(n: string): Promise<void>; theme: string; editor: { area: { area: { transform: { k: number } }; nodeViews: Map<string, { element: HTMLElement }> } } };
          app.theme = look;
          await app.openPreset(name);
          await new Promise((r) => setTimeout(r, 600));
          const k = app.editor.area.area.transform.k;
          const canvas = app.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
          const minimap = app.shadowRoot!.querySelector('.canvas')!.querySelector('[data-testid=minimap], rete-minimap')?.getBoundingClientRect() ?? null;
          const rects = [...app.editor.area.nodeViews.entries()].map(([id, v]) => ({ id, r: v.element.querySelector('rete-node')!.getBoundingClientRect() }));
          const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          const problems: string[] = [];
          rects.forEach((a, i) => {
            if (a.r.left < canvas.left || a.r.right > canvas.right || a.r.top < canvas.top || a.r.bottom > canvas.bottom) problems.push(`${a.id} outside the canvas`);
            if (minimap && overlap(a.r, minimap)) problems.push(`${a.id} under the minimap`);
            rects.slice(i + 1).forEach((b) => { if (overlap(a.r, b.r)) problems.push(`${a.id} overlaps ${b.id}`); });
          });
          const title = rects[0] ? parseFloat(getComputedStyle(app.editor.area.nodeViews.get(rects[0].id)!.element.querySelector('rete-node')!.shadowRoot!.querySelector('.title')!).fontSize) : 0;
          return { k, title: title * k, problems };
        }, preset, theme);
        const file = join(outDir, `${preset}-${width}x${height}-${theme}.png`);
        await page.screenshot({ path: file as `${string}.png` });
        console.log(`${file}: zoom ${report.k.toFixed(2)}, titles ${report.title.toFixed(1)} px${report.problems.length ? `; ${report.problems.join(', ')}` : ''}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
