// `latentflow validate FILE...`: one line per problem, a summary per clean file, exit 0/1/2,
// never a stack trace. The first tests run the real bin; the rest call main() in-process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Ran { code: number; stdout: string; stderr: string }

/** Runs `node bin/latentflow.js ARGS` from the repository root. */
function latentflow(...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/latentflow.js', ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Calls main() with its output captured. */
async function inProcess(...args: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => void out.push(l), err: (l) => void err.push(l) };
  const code = await main(args, io);
  return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
}

const noStackTrace = (r: Ran) => {
  assert.doesNotMatch(r.stdout + r.stderr, /^\s+at |Error:|node:internal/m);
};

describe('bin/latentflow.js validate', { concurrency: true }, () => {
  it('a preset: exit 0 and one summary line', async () => {
    const r = await latentflow('validate', 'graphs/font-ae.json');
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^graphs\/font-ae\.json: ok \(\d+ nodes, \d+ edges, [\d,]+ trainable parameters\)\n$/);
    assert.equal(r.code, 0);
  });

  it('a broken file: exit 1 and the problem on its node', async () => {
    const file = 'test/fixtures/broken/param-out-of-range.json';
    const r = await latentflow('validate', file);
    assert.equal(r.stdout, `${file}: node "enc" (encoder.dense): params.units[1] must be an integer from 1 to 4096, got -3\n`);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
  });

  it('a missing file: exit 2, one line, no stack trace', async () => {
    const r = await latentflow('validate', 'no/such/graph.json');
    assert.equal(r.stderr, 'no/such/graph.json: cannot read: no such file\n');
    assert.equal(r.stdout, '');
    noStackTrace(r);
    assert.equal(r.code, 2);
  });

  it('an unknown command: exit 2 with the usage', async () => {
    const r = await latentflow('frobnicate');
    assert.match(r.stderr, /^latentflow: unknown command "frobnicate"\nUsage: latentflow COMMAND/);
    assert.match(r.stderr, /\n {2}validate {2}/);
    noStackTrace(r);
    assert.equal(r.code, 2);
  });
});

describe('latentflow main()', () => {
  it('every broken fixture at once: exit 1, one "FILE: …" line per problem, nothing else', async () => {
    const dir = 'test/fixtures/broken';
    const files = (await readdir(new URL(`../../${dir}/`, import.meta.url))).sort().map((f) => `${root}${dir}/${f}`);
    const r = await inProcess('validate', ...files);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) assert.ok(files.some((f) => line.startsWith(`${f}: `)), line);
    for (const f of files) assert.ok(lines.some((l) => l.startsWith(`${f}: `)), `nothing said about ${f}`);
    noStackTrace(r);
  });

  it('a file with only warnings is ok: the warnings, then the summary; exit 0', async () => {
    const file = `${root}test/fixtures/broken/unknown-param.json`;
    const r = await inProcess('validate', file);
    assert.equal(r.stdout, `${file}: warning: node "enc" (encoder.dense): params.unitz is not a setting of encoder.dense; it is kept but ignored\n`
      + `${file}: ok (6 nodes, 6 edges, 1,253 trainable parameters)\n`);
    assert.equal(r.code, 0);
  });

  it('a directory cannot be read: exit 2', async () => {
    const r = await inProcess('validate', `${root}graphs`);
    assert.equal(r.stderr, `${root}graphs: cannot read: is a directory\n`);
    assert.equal(r.code, 2);
  });

  it('unreadable beats broken beats ok in the exit status, and every file is still checked', async () => {
    const broken = `${root}test/fixtures/broken/cycle.json`;
    const preset = `${root}graphs/font-ae.json`;
    const both = await inProcess('validate', preset, broken);
    assert.equal(both.code, 1);
    assert.match(both.stdout, /font-ae\.json: ok /);
    const all = await inProcess('validate', 'missing.json', broken, preset);
    assert.equal(all.code, 2);
    assert.match(all.stdout, /cycle\.json: node "noiseA"/);
    assert.match(all.stdout, /font-ae\.json: ok /);
  });

  it('usage errors exit 2; --help exits 0', async () => {
    assert.equal((await inProcess()).code, 2);
    assert.equal((await inProcess('validate')).code, 2);
    const badOption = await inProcess('validate', '--strict', 'x.json');
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /unknown option "--strict"/);
    const help = await inProcess('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: latentflow COMMAND/);
    const commandHelp = await inProcess('validate', '--help');
    assert.equal(commandHelp.code, 0);
    assert.match(commandHelp.stdout, /^Usage: latentflow validate FILE\.\.\./);
  });

  it('a file named like an option can follow --', async () => {
    const r = await inProcess('validate', '--', '--not-an-option.json');
    assert.equal(r.stderr, '--not-an-option.json: cannot read: no such file\n');
    assert.equal(r.code, 2);
  });

  it('"constructor" and "__proto__" are not commands', async () => {
    assert.equal((await inProcess('constructor')).code, 2);
    assert.equal((await inProcess('__proto__')).code, 2);
  });
});
