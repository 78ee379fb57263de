// Mounting the real app in a test page: the node kinds, the font AE preset, training in a Worker on wasm.
import { registry } from '../../nodes';
import { createWorkerRun } from '../../src/ui/worker-run';
import { trainSeedsInWorker } from '../../src/ui/worker-seeds';
import { deleteLibrary } from '../../src/store';
import { fetchedPresets, type LfApp, type StartRun, type StartSeeds } from '../../src/ui';
import '../../src/ui';

const wasmPath = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** Starts Worker runs on wasm with the datasets the test server serves under /public/. */
export const wasmStartRun: StartRun = async (text, options = {}) => {
  const r = await createWorkerRun(text, { ...options, backend: 'wasm', wasmPath, dataBase: '/public/' });
  return r.ok ? r.run : { problems: r.problems };
};

/** Trains a seed comparison's seeds as one program in a Worker on wasm, as the app page does. */
export const wasmStartSeeds: StartSeeds = (text, seeds, options) => trainSeedsInWorker(text, seeds, { ...options, backend: 'wasm', wasmPath, dataBase: '/public/' });

/** An lf-app at 1280x720 on its own library database, ready (initial preset open). */
export async function mountApp(o: { dbName?: string; initial?: string; autosaveDelay?: number } = {}): Promise<LfApp> {
  const app = document.createElement('lf-app');
  app.catalog = registry;
  app.presets = fetchedPresets(['font-ae']);
  app.startRun = wasmStartRun;
  app.startSeeds = wasmStartSeeds;
  app.dbName = o.dbName ?? `lf-test-${Math.random().toString(36).slice(2)}`;
  if (o.initial !== undefined) app.initial = o.initial;
  if (o.autosaveDelay !== undefined) app.autosaveDelay = o.autosaveDelay;
  app.style.cssText = 'display: grid; width: 1280px; height: 720px;';
  document.body.append(app);
  await app.ready;
  await app.updateComplete;
  return app;
}

/** Polls until `what` holds, failing with `label` after `ms`. */
export async function until(what: () => boolean | Promise<boolean>, ms: number, label: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes a mounted app and deletes its library database. */
export async function unmountApp(app: LfApp): Promise<void> {
  app.remove();
  app.library?.close();
  await deleteLibrary(app.dbName);
}
