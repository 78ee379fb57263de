// The app page: mounts <lf-app> with the node kinds, the presets in graphs/ and training in a Worker.
// The main thread only draws; tfjs runs in the Worker (src/runtime/worker.ts).
import { registry } from '../nodes';
import { backendNamed } from './runtime/core';
import { createWorkerRun, prestartWorker } from './ui/worker-run';
import { trainSeedsInWorker } from './ui/worker-seeds';
import { type LfApp, type PresetSource, type StartRun, type StartSeeds } from './ui';
import './ui';

// vite bundles the preset files (graphs/ is outside vite's root, public/).
const presetFiles = import.meta.glob<string>('../graphs/*.json', { query: '?raw', import: 'default' });
// In the order a course meets them (the start screen and the Presets menu list them so); any other last.
const courseOrder = ['font-ae', 'font-dae', 'font-sparse-ae', 'font-linear-ae', 'font-outliers', 'emoji-vae', 'mnist-vae', 'mnist-ae', 'emoji-rgb-vae'];
const rank = (name: string) => (courseOrder.includes(name) ? courseOrder.indexOf(name) : courseOrder.length);
const presets: PresetSource = Object.fromEntries(
  Object.entries(presetFiles).map(([path, load]) => [path.replace(/^.*\/|\.json$/g, ''), load] as const).sort(([a], [b]) => rank(a) - rank(b)),
);

// `?backend=wasm` (or webgl, webgpu, cpu) pins the backend; by default the worker picks the best.
const pinned = new URLSearchParams(location.search).get('backend');
const backend = backendNamed(pinned);

// Datasets and wasm binaries next to the page, wherever the build is hosted; the pinned backend.
const here = (path: string) => new URL(path, document.baseURI).href;
const where = { dataBase: here('./'), wasmPath: here('./wasm/'), ...(backend ? { backend } : {}) };

const startRun: StartRun = async (text, options = {}) => {
  const result = await createWorkerRun(text, { ...options, ...where });
  // The next Train (a new run, a seed comparison) finds its Worker started too.
  prestartWorker();
  return result.ok ? result.run : { problems: result.problems };
};
const startSeeds: StartSeeds = async (text, seeds, options) => {
  const outcome = await trainSeedsInWorker(text, seeds, { ...options, ...where });
  // The next Train finds its Worker started.
  prestartWorker();
  return outcome;
};
// The first Train's Worker starts loading now, while the page opens.
prestartWorker();

const app = document.createElement('lf-app') as LfApp;
app.catalog = registry;
app.presets = presets;
app.startRun = startRun;
app.startSeeds = startSeeds;
app.welcome = true;
document.body.append(app);
