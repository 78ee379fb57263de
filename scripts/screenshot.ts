// Takes the README screenshot: the app (vite dev server) in headless Chromium at 1280x720, the font
// AE preset trained on wasm until done, its latent scatter and loss curve showing.
// `npx tsx scripts/screenshot.ts [out.png] [--preset font-ae] [--theme light] [--expand scatter,curve] [--seconds 60]`
// (--expand shows those view nodes' live views inside the nodes)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';
import { chromiumHint, findChromium } from './check-chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
};
const preset = option('--preset', 'font-ae');
const theme = option('--theme', 'dark');
const expand = option('--expand', '').split(',').filter(Boolean);
/** Stop training after this many seconds (0: train until done). */
const seconds = Number(option('--seconds', '0'));
const out = args[0] ?? join(root, 'public/docs/screenshot.png');

const chromium = findChromium();
if (!chromium) {
  console.error(chromiumHint());
  process.exit(1);
}

const server = await createServer({ configFile: join(root, 'vite.config.ts'), server: { port: 0, open: false }, logLevel: 'warn' });
await server.listen();
const address = server.httpServer!.address();
const port = typeof address === 'object' && address ? address.port : 5173;
const profile = mkdtempSync(join(tmpdir(), 'lf-shot-'));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720, deviceScaleFactor: 1 });
  page.on('pageerror', (e) => console.error('page error:', e instanceof Error ? e.message : e));
  await page.goto(`http://localhost:${port}/?backend=wasm`, { waitUntil: 'load' });
  await page.waitForFunction(() => !!(document.querySelector('lf-app') as unknown as { editor?: unknown } | null)?.editor, { timeout: 60_000 });
  await page.evaluate(async (name: string, look: string, ids: string[]) => {
    const app = document.querySelector('lf-app') as unknown as HTMLElement & {
      openPreset(name: string): Promise<void>; session: { act(a: string): Promise<void> }; ready: Promise<void>;
      editor: { setExpanded(id: string, on: boolean): Promise<boolean> };
    };
    await app.ready;
    await app.openPreset(name);
    (app as unknown as { theme: string }).theme = look;
    for (const id of ids) if (!(await app.editor.setExpanded(id, true))) console.warn(`--expand: ${id} is not a view node`);
    await app.session.act('train');
  }, preset, theme, expand);
  const finished = page.waitForFunction(() => {
    const app = document.querySelector('lf-app') as unknown as { run?: { status$: { value?: { state: string } } } } | null;
    const s = app?.run?.status$.value?.state;
    return s === 'done' || s === 'failed' || s === 'stopped';
  }, { timeout: 300_000, polling: 500 });
  if (seconds > 0) {
    await Promise.race([finished, new Promise((r) => setTimeout(r, seconds * 1000))]);
    await page.evaluate(() => (document.querySelector('lf-app') as unknown as { run?: { stop(): Promise<void> } }).run?.stop());
  }
  await finished;
  // Let the views draw their final values, then select the latent node (or the first expanded view) so the inspector shows something.
  await new Promise((r) => setTimeout(r, 1500));
  await page.evaluate(async (focus: string) => {
    const app = document.querySelector('lf-app') as unknown as { editor: { select(id: string): Promise<void>; fitView(ids?: string[]): Promise<void>; getDoc(): { nodes: { id: string }[] } } };
    // Selecting shows the node in the inspector.
    await app.editor.select(focus);
    // The whole graph: presets are laid out to fit 1280x720 with readable titles.
    await app.editor.fitView();
  }, expand[0] ?? 'code');
  await new Promise((r) => setTimeout(r, 800));
  await page.screenshot({ path: out as `${string}.png` });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
