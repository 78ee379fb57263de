import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { loadGraph, type GraphDoc } from '../../src/graph';
import { registry } from '../../nodes';
import { compile, createRun, type NamedWeights, type Plan } from '../../src/runtime';
import { nodeIO } from '../../src/runtime/io-node';
import { exportPytorch } from '../../src/runtime/pytorch/export';

/** A Python that can `import torch` (Debian's python3-torch is for /usr/bin/python3; CI installs it). */
export async function torchPython(): Promise<string> {
  for (const candidate of [process.env.LATENTFLOW_TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean) as string[]) {
    try {
      await promisify(execFile)(candidate, ['-c', 'import torch']);
      return candidate;
    } catch { /* next */ }
  }
  throw new Error('no Python with PyTorch: apt-get install -y python3-torch (or set LATENTFLOW_TORCH_PYTHON)');
}

export async function readPreset(name: string): Promise<GraphDoc> {
  const { doc } = loadGraph(await readFile(`graphs/${name}`, 'utf8'), registry);
  return doc!;
}

export function planOf(doc: GraphDoc): Plan {
  const c = compile(doc, registry);
  if (!c.ok) throw new Error(c.problems.map((p) => p.message).join('; '));
  return c.plan;
}

/** Trains a plan in Node (wasm) for some epochs, from given weights or its seed; the weights and loss totals. */
export async function trainInNode(plan: Plan, epochs: number, initialWeights?: NamedWeights): Promise<{ weights: NamedWeights; losses: number[]; rows: (id: string) => Promise<number[][]> }> {
  const run = createRun(plan, { io: nodeIO(), backend: 'wasm', epochs, metricsEvery: 50, ...(initialWeights ? { initialWeights } : {}) });
  await run.start();
  const status = await run.finished;
  if (status.state !== 'done') throw new Error(`training ended ${status.state}: ${status.reason}`);
  const weights = await run.getWeights();
  const losses = run.history().total;
  const rows: Record<string, number[][]> = {};
  for (const id of ['dec']) rows[id] = ((await run.evaluate(id, 'x')) as { rows: number[][] }).rows;
  await run.dispose();
  return { weights, losses, rows: async (id) => rows[id]! };
}

/** Exports a plan with its weights into a fresh temporary folder; returns the folder. */
export async function exportToDir(plan: Plan, weights: NamedWeights): Promise<string> {
  const r = await exportPytorch(plan, { io: nodeIO(), weights });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  const dir = await mkdtemp(join(tmpdir(), 'latentflow-pytorch-'));
  for (const f of r.files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.bytes);
  }
  return dir;
}

/** Runs a command; rejects with its output when it fails. */
/**
 * Runs `cmd` and resolves with its stdout; rejects on a non-zero exit, or after `timeoutMs` (the whole
 * process group killed: torchrun's workers too), so that a hang is a failed test with its output, not a stuck CI.
 */
export function runCommand(cmd: string, args: string[], cwd: string, { env = {}, timeoutMs = 240_000, finished, exitGraceMs = 20_000 }: {
  env?: Record<string, string>; timeoutMs?: number;
  /** Its output says it has done its work: from then on it gets `exitGraceMs` to exit, and is then killed and counted a success (with a warning). */
  finished?: (stdout: string) => boolean; exitGraceMs?: number;
} = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1', PYTHONFAULTHANDLER: '1', ...env } });
    let out = '';
    let err = '';
    let timedOut = false;
    let lingered = false;
    const kill = () => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    let grace: ReturnType<typeof setTimeout> | undefined;
    child.stdout.on('data', (d) => {
      out += d;
      if (finished && !grace && finished(out)) {
        grace = setTimeout(() => {
          lingered = true;
          // SIGABRT first: with PYTHONFAULTHANDLER set, Python prints where each of its threads waits.
          try { process.kill(child.pid!, 'SIGABRT'); } catch { /* already gone */ }
          setTimeout(() => {
            console.warn(`${cmd} ${args.join(' ')}: done but still running ${exitGraceMs / 1000} s later; killed. Where it waited:\n${err.slice(-3000)}`);
            kill();
          }, 1000);
        }, exitGraceMs);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(grace);
      if ((code === 0 || lingered) && !timedOut) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} ${timedOut ? `ran past ${timeoutMs / 1000} s and was killed` : `exited ${code}`}:\n${err.slice(-4000)}\n${out.slice(-4000)}`));
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * In one Python process (importing torch once): the exported model's eval-path output of `node` on the
 * exported data (no noise unless at inference, a VAE's mean), then `train.py` with `trainArgs`.
 */
export const checkScript = `
import contextlib, io, json, sys
import torch
import model, data, train

m = model.Model()
model.load_weights(m, "weights.safetensors")
m.eval()
x, _ = data.load_data()
with torch.no_grad():
    out = m(x, "eval")
node = sys.argv[1]
value = out[node].z if isinstance(out[node], model.Latent) else out[node]
captured = io.StringIO()
sys.argv = ["train.py", *sys.argv[2:]]
with contextlib.redirect_stdout(captured):
    train.main()
print(json.dumps({"output": value.tolist(), "train": json.loads(captured.getvalue().strip().splitlines()[-1])}))
`;

export interface PythonCheck { output: number[][]; train: { steps: number; losses: number[]; weights_digest: string; world_size: number; rank: number } }

export async function pythonCheck(python: string, dir: string, node: string, trainArgs: string[]): Promise<PythonCheck> {
  await writeFile(join(dir, 'check.py'), checkScript);
  const out = await runCommand(python, ['check.py', node, ...trainArgs], dir);
  return JSON.parse(out.trim().split('\n').at(-1)!) as PythonCheck;
}

export const maxAbsDiff = (a: number[][], b: number[][]) => Math.max(...a.map((row, i) => Math.max(...row.map((v, j) => Math.abs(v - b[i]![j]!)))));
export const meanOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
