/**
 * `npm run bench [-- --quick] [-- --backends wasm,cpu] [-- --browser] [-- --editor]`: samples/s of the font AE and the
 * MNIST VAE through the runtime (from a graph) and as a hand-written tfjs loop of the same maths,
 * alternating in one process on the same backend. With --browser the same runs happen in headless
 * Chromium (webgpu, webgl, wasm, cpu) through web-test-runner. --editor times opening a 200-node graph
 * and the main thread's long tasks while the emoji VAE trains. Writes bench/results/*.json and a table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, type BackendName } from '../src/runtime';
import { nodeIO } from '../src/runtime/io-node';
import { formatRow, measure, workloads, type BenchRow } from './measure';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const browser = args.includes('--browser');
const editor = args.includes('--editor');
const i = args.indexOf('--backends');
const backends = (i >= 0 ? args[i + 1]! : browser ? 'webgpu,webgl,wasm,cpu' : 'wasm,cpu').split(',') as BackendName[];
const results: (BenchRow & { where: string })[] = [];
const editorResults: Record<string, unknown>[] = [];

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
    cwd: root, encoding: 'utf8', env: { ...process.env, LATENTFLOW_BENCH: JSON.stringify({ quick, backends }) }, maxBuffer: 1 << 26,
  });
  const text = `${out.stdout}\n${out.stderr}`;
  for (const m of text.matchAll(/BENCH_ROW (\{.*\})/g)) {
    const row = JSON.parse(m[1]!) as BenchRow;
    results.push({ ...row, where: 'chromium' });
    console.log(`chromium ${formatRow(row)}`);
  }
  for (const m of text.matchAll(/BENCH_SKIP (.*)/g)) console.log(`chromium ${m[1]}`);
  if (!results.length) console.log(text.slice(-3000));
} else {
  for (const backend of backends) {
    try {
      await selectBackend({ prefer: [backend] });
    } catch (e) {
      console.log(`${backend}: not available (${e instanceof Error ? e.message : e})`);
      continue;
    }
    for (const w of workloads(quick)) {
      const row = await measure(w, backend, nodeIO());
      if (typeof row === 'string') console.log(`node   ${backend} ${w.name}: skipped (${row})`);
      else {
        results.push({ ...row, where: 'node' });
        console.log(`node   ${formatRow(row)}`);
      }
    }
  }
}

const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `bench-${editor ? 'editor-' : browser ? 'browser-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, results, editor: editorResults }, null, 2));
console.log(`\n| where | backend | workload | runtime steps/s | hand-written steps/s | ratio |\n|---|---|---|---|---|---|`);
for (const r of results) console.log(`| ${r.where} | ${r.backend} | ${r.workload} | ${r.runtimeStepsPerSec.toFixed(1)} | ${r.handStepsPerSec.toFixed(1)} | ${r.ratio.toFixed(3)} |`);
console.log(`\nwritten to ${file}`);
