// Bomb files dropped on the page (issue 13, families 10 and 11): refused without blocking the UI
// thread: no long task over 100 ms while the file is read (PerformanceObserver 'longtask').
import { expect } from '@esm-bundle/chai';
import { registry } from '../../nodes';
import { loadGraph } from '../../src/graph';
import { readDroppedFile } from '../../src/store/files';
import { bundleBombs, pngOfChunks } from '../helpers/bombs';
import { readRepoFile } from '../helpers/read-fixture';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Reads a dropped file up to three times, returning its first problem and the longest task (ms)
 * seen meanwhile in the least disturbed read: a read that blocks, blocks every time, while a pause
 * of the busy test machine (another process, a GC of the test's own garbage) comes and goes.
 */
async function readWatched(name: string, bytes: Uint8Array): Promise<{ message: string; longest: number }> {
  let best = await readOnce(name, bytes);
  for (let i = 1; i < 3 && best.longest >= 100; i++) {
    const again = await readOnce(name, bytes);
    if (again.longest < best.longest) best = again;
  }
  return best;
}

async function readOnce(name: string, bytes: Uint8Array): Promise<{ message: string; longest: number }> {
  await nextTask();
  const tasks: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const started = performance.now();
  const read = await readDroppedFile(name, bytes, registry);
  // A long task is reported once it has ended: let the one that finished the read end.
  await nextTask();
  await nextTask();
  tasks.push(...observer.takeRecords());
  observer.disconnect();
  const longest = Math.max(0, ...tasks.filter((t) => t.startTime + t.duration >= started).map((t) => t.duration));
  const message = read.kind === 'bundle' ? (read.result.ok ? 'ACCEPTED' : read.result.problems[0]!.message) : read.result.problems[0]?.message ?? 'ACCEPTED';
  console.log(`${name}: read in ${Math.round(performance.now() - started)} ms, longest task ${Math.round(longest)} ms: ${message}`);
  return { message, longest };
}

describe('bomb files do not block the page', () => {
  let graphText: string;
  before(async () => {
    graphText = await readRepoFile('graphs/font-ae.json');
    // The page has opened a graph before any file is dropped on it (its code is warm), as the app has.
    loadGraph(graphText, registry);
  });

  it('zip bombs in .lflow bundles', async () => {
    const bombs = bundleBombs(graphText);
    for (const [name, pattern] of [['fourParts', /declares 524288000 bytes/], ['duplicates', /more than once/], ['lyingWeights', /inflates to more than the 8 bytes/]] as const) {
      const r = await readWatched(`${name}.lflow`, bombs[name]);
      expect(r.message).to.match(pattern);
      expect(r.longest, `${name}: longest task (ms)`).to.be.below(100);
    }
  });

  it('a PNG of millions of empty chunks', async () => {
    const r = await readWatched('chunks.png', pngOfChunks(2_400_000));
    expect(r.message).to.match(/more than 100000 chunks/);
    expect(r.longest, 'longest task (ms)').to.be.below(100);
  });
});

