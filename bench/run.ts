/**
 * `npm run bench [-- --quick] [-- --backends wasm,cpu] [-- --browser] [-- --peer] [-- --profile] [-- --editor]`:
 * samples/s of the font AE and the MNIST VAE through the runtime (from a graph) and as a hand-written
 * tfjs loop of the same maths, alternating in one process on the same backend. With --browser the same
 * runs happen in headless Chromium (webgpu, webgl, wasm, cpu) through web-test-runner. --peer also
 * trains both workloads in PyTorch on the CPU (bench/peer.py, 1 thread and every core, the best kept)
 * and prints latentflow ÷ PyTorch; --profile prints each workload's kernels per step and its top
 * kernels by time. Node runs also time a 10-seed comparison of the font AE: the seeds as one program
 * (src/runtime/seed-batch.ts) against 10 lone runs in turn, and against PyTorch's 10 runs in turn
 * (its one-run steps/s: ten runs take ten times as long). --editor times opening a 200-node graph and the
 * page's frames (fps, the longest and what ran in it) while the emoji VAE trains, on a blank page and in
 * the app. Writes bench/results/*.json and a table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendName } from '../src/runtime';
import { nodeIO } from '../src/runtime/io-node';
import { formatRow, measure, workloads, type BenchRow } from './measure';
import { bestPeer, findTorchPython, noTorchHint, runPeer, type PeerResult, type PeerRun } from './peer';
import { formatProfile, profileSteps, profileWorkload, type WorkloadProfile } from './profile';
import { errorMessage } from '../src/lib/error-message';
import { measureSeeds, type SeedsRow } from './seeds';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const browser = args.includes('--browser');
const editor = args.includes('--editor');
const peer = args.includes('--peer');
const profile = args.includes('--profile');
const i = args.indexOf('--backends');
const backends = (i >= 0 ? args[i + 1]! : browser ? 'webgpu,webgl,wasm,cpu' : 'wasm,cpu').split(',') as BackendName[];
const results: (BenchRow & { where: string })[] = [];
const editorResults: Record<string, unknown>[] = [];
const profiles: WorkloadProfile[] = [];
const seedRows: (SeedsRow & { peer?: PeerResult })[] = [];
const peerRuns: PeerRun[] = [];
const peerBest = new Map<string, PeerResult>();
const python = peer ? findTorchPython() : null;
if (peer && !python) console.log(noTorchHint);
/** PyTorch on a workload, run once, right after latentflow's first row for it (the machine's load drifts). */
function peerFor(key: string): PeerResult | undefined {
  if (!python || peerBest.has(key)) return peerBest.get(key);
  try {
    const run = runPeer(python, [key], quick);
    peerRuns.push(run);
    for (const [k, r] of bestPeer(run)) peerBest.set(k, r);
    console.log(`pytorch ${run.torch} ${key}: ${run.results.map((r) => `${r.stepsPerSec.toFixed(1)} steps/s with ${r.threads} thread${r.threads > 1 ? 's' : ''}`).join(', ')}`);
  } catch (e) {
    console.log(errorMessage(e));
    peerBest.set(key, undefined as never);
  }
  return peerBest.get(key);
}

if (editor) {
  const root = join(import.meta.dirname, '..');
  const out = spawnSync(join(root, 'node_modules/.bin/wtr'), ['--config', 'bench/wtr.config.mjs'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, LATENTFLOW_BENCH_FILE: 'bench/editor.bench.ts' }, maxBuffer: 1 << 26,
  });
  const text = `${out.stdout}\n${out.stderr}`;
  for (const m of text.matchAll(/BENCH_EDITOR (\{.*\})/g)) {
    editorResults.push(JSON.parse(m[1]!) as Record<string, unknown>);
    console.log(`chromium ${m[1]}`);
  }
  if (!editorResults.length) console.log(text.slice(-3000));
} else if (browser) {
  const root = join(import.meta.dirname, '..');
  const out = spawnSync(join(root, 'node_modules/.bin/wtr'), ['--config', 'bench/wtr.config.mjs'], {
    cwd: root, encoding: 'utf8', env: { ...process.env, LATENTFLOW_BENCH: JSON.stringify({ quick, backends, profile }) }, maxBuffer: 1 << 26,
  });
  const text = `${out.stdout}\n${out.stderr}`;
  for (const m of text.matchAll(/BENCH_ROW (\{.*\})/g)) {
    const row = JSON.parse(m[1]!) as BenchRow;
    results.push({ ...row, where: 'chromium' });
    console.log(`chromium ${formatRow(row)}`);
  }
  for (const m of text.matchAll(/BENCH_PROFILE (\{.*\})/g)) {
    const p = JSON.parse(m[1]!) as WorkloadProfile;
    profiles.push(p);
    console.log(`chromium ${formatProfile(p)}`);
  }
  for (const r of results) peerFor(r.key);
  for (const m of text.matchAll(/BENCH_SKIP (.*)/g)) console.log(`chromium ${m[1]}`);
  if (!results.length) console.log(text.slice(-3000));
} else {
  for (const backend of backends) {
    try {
      await selectBackend({ prefer: [backend] });
    } catch (e) {
      console.log(`${backend}: not available (${errorMessage(e)})`);
      continue;
    }
    for (const w of workloads(quick)) {
      const row = await measure(w, backend, nodeIO());
      if (typeof row === 'string') console.log(`node   ${backend} ${w.name}: skipped (${row})`);
      else {
        results.push({ ...row, where: 'node' });
        console.log(`node   ${formatRow(row)}`);
        peerFor(w.key);
      }
      if (profile && typeof row !== 'string') {
        const p = await profileWorkload(w, backend, nodeIO(), profileSteps(w, backend));
        profiles.push(p);
        console.log(`node   ${formatProfile(p)}`);
      }
    }
    const steps = Math.round((workloads(quick)[0]!.steps[backend] ?? 100) / 2);
    const s: SeedsRow & { peer?: PeerResult } = await measureSeeds(backend, nodeIO(), 10, steps, quick ? 3 : 5);
    // PyTorch timed again right after, so the ratio compares runs under the same load.
    if (python) s.peer = bestPeer(runPeer(python, ['font-ae'], quick)).get('font-ae');
    seedRows.push(s);
    console.log(`node   ${backend} 10 seeds of the font AE: batched ${s.batchedSeedStepsPerSec.toFixed(0)} seed-steps/s, in turn ${s.loneSeedStepsPerSec.toFixed(0)} seed-steps/s (${s.steps} steps each)`);
  }
}

const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${editor ? 'editor-' : browser ? 'browser-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, results, seeds: seedRows, editor: editorResults, profiles, peer: peerRuns }, null, 2));
const withPeer = peerBest.size > 0;
console.log(`\n| where | backend | threads | workload | runtime steps/s | hand-written steps/s | runtime ÷ hand |${withPeer ? ' PyTorch steps/s (threads) | runtime ÷ PyTorch |' : ''}\n|---|---|---|---|---|---|---|${withPeer ? '---|---|' : ''}`);
for (const r of results) {
  const p = peerBest.get(r.key);
  const peerCols = withPeer ? (p ? ` ${p.stepsPerSec.toFixed(1)} (${p.threads}) | ${(r.runtimeStepsPerSec / p.stepsPerSec).toFixed(3)} |` : ' – | – |') : '';
  console.log(`| ${r.where} | ${r.backend} | ${r.threads ?? '–'} | ${r.workload} | ${r.runtimeStepsPerSec.toFixed(1)} | ${r.handStepsPerSec.toFixed(1)} | ${r.ratio.toFixed(3)} |${peerCols}`);
}
if (seedRows.length) {
  const withSeedPeer = seedRows.some((s) => s.peer);
  console.log(`\n| backend | 10 seeds of the font AE | batched seed-steps/s | in turn seed-steps/s | batched ÷ in turn |${withSeedPeer ? ' PyTorch in turn seed-steps/s (threads) | batched ÷ PyTorch in turn |' : ''}\n|---|---|---|---|---|${withSeedPeer ? '---|---|' : ''}`);
  for (const s of seedRows) {
    const p = s.peer;
    const peerCols = withSeedPeer ? (p ? ` ${p.stepsPerSec.toFixed(0)} (${p.threads}) | ${(s.batchedSeedStepsPerSec / p.stepsPerSec).toFixed(2)} |` : ' – | – |') : '';
    console.log(`| ${s.backend} | ${s.steps} steps each, ${s.rounds} rounds | ${s.batchedSeedStepsPerSec.toFixed(0)} | ${s.loneSeedStepsPerSec.toFixed(0)} | ${(s.batchedSeedStepsPerSec / s.loneSeedStepsPerSec).toFixed(2)} |${peerCols}`);
  }
}
console.log(`\nwritten to ${file}`);
