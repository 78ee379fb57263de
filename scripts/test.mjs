// `npm test`: Node tests (test/**/*.node.test.ts via node --test + tsx), then browser tests (web-test-runner).
// `node scripts/test.mjs node` or `... browser` runs only one set.
// A Node test that runs past 10 minutes fails (--test-timeout) rather than holding CI.
// Both always run; exit status is non-zero if either fails. The last line is `N passed, N failed` (read by CI).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumHint, findChromium } from './check-chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

function walk(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.node.test.ts') || e.name.endsWith('.shared.test.ts')) out.push(relative(root, p));
  }
  return out;
}

/** Runs a command, echoing its output live; resolves with exit code and captured text. */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { text += d; process.stderr.write(d); });
    child.on('error', (err) => { text += String(err); resolve({ code: 1, text }); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), text }));
  });
}

const stripAnsi = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
const lastMatch = (text, re) => [...stripAnsi(text).matchAll(re)].at(-1);

let passed = 0;
let failed = 0;
let counted = true;
let ok = true;
const only = process.argv[2]; // 'node' | 'browser' | undefined

// 1. Node tests
const nodeFiles = walk(join(root, 'test')).sort();
if (only === 'browser') {
  // skipped
} else if (nodeFiles.length === 0) {
  console.log('No Node tests (test/**/*.node.test.ts, *.shared.test.ts) found.');
} else {
  console.log(`\n== Node tests (${nodeFiles.length} files) ==`);
  const r = await run(process.execPath, ['--import', 'tsx', '--import', './test/node-globals.ts', '--test', '--test-timeout=600000', '--test-reporter=spec', ...nodeFiles]);
  ok &&= r.code === 0;
  const p = lastMatch(r.text, /^ℹ pass (\d+)$/gm);
  const f = lastMatch(r.text, /^ℹ fail (\d+)$/gm);
  const c = lastMatch(r.text, /^ℹ cancelled (\d+)$/gm);
  if (p && f) { passed += Number(p[1]); failed += Number(f[1]) + Number(c?.[1] ?? 0); } else counted = false;
}

// 2. Browser tests
if (only !== 'node') {
  console.log('\n== Browser tests (web-test-runner, Chromium) ==');
  const chromium = findChromium();
  if (!chromium) {
    console.error(chromiumHint());
    ok = false;
    counted = false;
  } else {
    const r = await run(bin('wtr'), [], { CHROME_PATH: chromium });
    ok &&= r.code === 0;
    const m = lastMatch(r.text, /(\d+) passed, (\d+) failed/g);
    if (m) { passed += Number(m[1]); failed += Number(m[2]); } else counted = false;
  }
}

if (counted) console.log(`\n${passed} passed, ${failed} failed`);
else console.log(`\nCould not read all test counts; result: ${ok ? 'OK' : 'FAILED'}`);
process.exit(ok ? 0 : 1);
