// Run by `npm run bench -- --editor` through web-test-runner (not part of npm test): how long a
// 200-node graph takes to open in the editor, and the page's frames while the emoji VAE preset trains
// in the Worker: a blank page (the control: what the machine's load alone does to frames), then the app
// with three views open. Each prints fps, the longest frame and what ran in it, and the main thread's
// CPU against wall time from a Chromium trace. Prints BENCH_EDITOR lines that bench/run.ts collects.
import { loadGraph, type GraphDoc } from '../src/graph';
import { registry } from '../nodes';
import { createEditor } from '../src/editor';
import { createWorkerRun } from '../src/ui/worker-run';
import { fetchedPresets, type LfApp, type StartRun } from '../src/ui';
import '../src/ui';
import { executeServerCommand } from '@web/test-runner-commands';

/** 40 copies of a five-node autoencoder chain: 200 nodes, 160 edges, laid out on a grid. */
function bigGraph(): GraphDoc {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  for (let i = 0; i < 40; i++) {
    const y = i * 220;
    const chain = [
      ['data', 'dataset.font-7x5', {}], ['enc', 'encoder.dense', { units: [16] }], ['code', 'latent.deterministic', {}],
      ['dec', 'decoder.dense', { units: [16] }], ['loss', 'loss.reconstruction', {}],
    ] as const;
    chain.forEach(([id, kind, params], j) => nodes.push({ id: `${id}${i}`, kind, kindVersion: 1, params, ui: { position: [j * 260, y] } }));
    const link = (a: string, as: string, b: string, bs: string) => edges.push({ id: `e${edges.length + 1}`, from: { node: `${a}${i}`, socket: as }, to: { node: `${b}${i}`, socket: bs } });
    link('data', 'x', 'enc', 'x');
    link('enc', 'h', 'code', 'h');
    link('code', 'z', 'dec', 'z');
    link('dec', 'x', 'loss', 'x');
  }
  const { doc } = loadGraph({ format: 'latentflow/graph', version: 1, meta: { title: '200 nodes' }, nodes, edges }, registry);
  return doc!;
}

/** Chromium's long-animation-frame entry (not in TypeScript's DOM types yet). */
interface LongFrame extends PerformanceEntry {
  renderStart: number;
  styleAndLayoutStart: number;
  blockingDuration: number;
  scripts: { invoker: string; invokerType: string; sourceURL: string; sourceFunctionName: string; duration: number; forcedStyleAndLayoutDuration: number }[];
}

/** What ran in a long animation frame, longest first: scripts (who called them, where), then style, layout and paint. */
function describeFrame(f: LongFrame): string {
  const file = (url: string) => url.replace(/^.*\/(src|nodes|node_modules|bench)\//, '$1/').replace(/\?.*$/, '');
  const parts = f.scripts.map((s) => ({ ms: s.duration, what: `${s.invoker}${s.sourceFunctionName && !s.invoker.includes(s.sourceFunctionName) ? ` → ${s.sourceFunctionName}` : ''} (${file(s.sourceURL) || s.invokerType})${s.forcedStyleAndLayoutDuration > 5 ? `, forced layout ${Math.round(s.forcedStyleAndLayoutDuration)} ms` : ''}` }));
  const end = f.startTime + f.duration;
  if (f.renderStart) parts.push({ ms: (f.styleAndLayoutStart || end) - f.renderStart, what: 'rAF callbacks, Lit updates, resize observers' });
  if (f.styleAndLayoutStart) parts.push({ ms: end - f.styleAndLayoutStart, what: 'style, layout and paint' });
  const named = parts.reduce((a, p) => a + p.ms, 0);
  if (f.duration - named > 10) parts.push({ ms: f.duration - named, what: 'unattributed (task outside scripts: GC, message deserialisation, idle)' });
  return `${Math.round(f.duration)} ms: ${parts.sort((a, b) => b.ms - a.ms).filter((p) => p.ms >= 5).map((p) => `${Math.round(p.ms)} ms ${p.what}`).join('; ')}`;
}

/**
 * Watches the page's frames until stop(): how many, the longest gap between two (a frame that took that long),
 * and what the main thread ran in the longest ones (long-animation-frame entries, > 50 ms).
 */
function watchFrames() {
  let frames = 0, longest = 0, longestAt = 0, last = performance.now(), over50 = 0, running = true;
  const gaps: { from: number; to: number }[] = [];
  const tick = (now: number) => {
    frames++;
    if (now - last > 50) over50++;
    if (now - last > longest) { longest = now - last; longestAt = last; }
    if (now - last > 50) gaps.push({ from: last, to: now });
    last = now;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const long: LongFrame[] = [];
  const observer = new PerformanceObserver((list) => long.push(...(list.getEntries() as LongFrame[])));
  observer.observe({ type: 'long-animation-frame', buffered: false });
  return {
    stop() {
      running = false;
      observer.disconnect();
      const inGap = (from: number, to: number) => long.filter((f) => f.startTime < to && f.startTime + f.duration > from);
      const longestRan = inGap(longestAt, longestAt + longest).map(describeFrame);
      return {
        frames, longest, over50,
        longestRan: longestRan.length ? longestRan : ['no long task on the main thread: the frame was late elsewhere (compositor, GPU process or the OS)'],
        top: [...long].sort((a, b) => b.duration - a.duration).slice(0, 5).map(describeFrame),
      };
    },
  };
}

/**
 * Frames for `seconds`: per second, the longest (and what the main thread ran in it), how many took over
 * 50 ms, the longest animation frames named, and a Chromium trace's account of the main thread beside them:
 * its CPU time against its wall time tells a frame that computed long from one that waited for a core
 * (this machine is shared and loaded) or for the GPU process.
 */
async function measureFrames(seconds: number) {
  await executeServerCommand('frame-trace', { action: 'start' });
  const watch = watchFrames();
  await new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));
  const seen = watch.stop();
  let trace: unknown = 'pending';
  while (trace === 'pending') trace = await executeServerCommand('frame-trace', { action: 'stop' });
  return { framesPerSec: Math.round(seen.frames / seconds), longestFrameMs: Math.round(seen.longest), longestFrameRan: seen.longestRan, framesOver50Ms: seen.over50, topLongFrames: seen.top, trace };
}

describe('editor benchmark (chromium)', () => {
  it('opens a 200-node graph', async function () {
    this.timeout(10 * 60 * 1000);
    const doc = bigGraph();
    for (let round = 0; round < 3; round++) {
      const container = document.createElement('div');
      container.style.cssText = 'width: 1280px; height: 720px; position: relative';
      document.body.append(container);
      const editor = await createEditor(container, registry, { minimap: round !== 1 });
      const t0 = performance.now();
      await editor.loadDoc(doc);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const ms = performance.now() - t0;
      console.log(`BENCH_EDITOR ${JSON.stringify({ what: 'open 200-node graph', round, minimap: round !== 1, nodes: doc.nodes.length, edges: doc.edges.length, ms: Math.round(ms) })}`);
      editor.destroy();
      container.remove();
    }
  });

  it('control: frames of a blank page while the emoji VAE trains in the Worker', async function () {
    this.timeout(10 * 60 * 1000);
    const text = await (await fetch('/graphs/emoji-vae.json')).text();
    const res = await createWorkerRun(text, { backend: 'wasm', wasmPath: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/', dataBase: '/public/', epochs: 100_000 });
    if (!res.ok) throw new Error(res.problems.map((p) => p.message).join('; '));
    const run = res.run;
    await run.start();
    await new Promise<void>((resolve) => { const s = run.status$.subscribe((st) => { if (st.state === 'running') { resolve(); queueMicrotask(() => s.unsubscribe()); } }); });
    const seen = await measureFrames(15);
    const steps = run.history().steps.length;
    await run.dispose();
    console.log(`BENCH_EDITOR ${JSON.stringify({ what: 'control: a blank page while the emoji VAE trains (15 s)', ...seen, trainingSteps: steps })}`);
  });

  it('draws the app smoothly while the emoji VAE trains with its views open (fps, longest frame)', async function () {
    this.timeout(10 * 60 * 1000);
    const startRun: StartRun = async (t, options = {}) => {
      const r = await createWorkerRun(t, { ...options, backend: 'wasm', wasmPath: '/node_modules/@tensorflow/tfjs-backend-wasm/dist/', dataBase: '/public/' });
      return r.ok ? r.run : { problems: r.problems };
    };
    for (const minimap of [false, true]) {
      const app = document.createElement('lf-app') as LfApp;
      app.catalog = registry;
      app.presets = fetchedPresets(['emoji-vae']);
      app.startRun = startRun;
      app.initial = 'emoji-vae';
      app.dbName = `lf-bench-${Math.random().toString(36).slice(2)}`;
      app.style.cssText = 'display: grid; width: 1280px; height: 720px;';
      document.body.append(app);
      await app.ready;
      app.editor!.setMinimap(minimap);
      for (const id of ['curve', 'scatter', 'traverse']) await app.editor!.setExpanded(id, true);
      await app.session.act('train');
      await new Promise<void>((resolve) => { const s = app.run!.status$.subscribe((st) => { if (st.state === 'running') { resolve(); queueMicrotask(() => s.unsubscribe()); } }); });
      const seen = await measureFrames(15);
      const steps = app.run!.history().steps.length;
      await app.run!.stop();
      console.log(`BENCH_EDITOR ${JSON.stringify({ what: 'app frames while the emoji VAE trains, 3 views open (15 s)', minimap, ...seen, trainingSteps: steps })}`);
      app.remove();
      app.library?.close();
    }
  });
});
