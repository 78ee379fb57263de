import { lstat, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatProblem, hasErrors, loadGraph } from '../graph';
import { registry } from '../../nodes';
import { compile, createRun, type BackendName, type OptimizerState } from '../runtime';
import { nodeIO } from '../runtime/io-node';
import { exportPytorch } from '../runtime/pytorch/export';
import { exitCodes, printLines, type CliIO } from './io';
import { backendOption, onlyOnce, trainerRange, wholeNumber } from './args';
import { readGraphText } from './validate';
import { errorMessage } from '../lib/error-message';

export const exportUsage = `Usage: latentflow export FILE --to pytorch DIR [--train] [--epochs N] [--backend wasm|cpu] [--force]

Writes a graph file as a runnable PyTorch project in DIR: model.py, data.py (with the dataset's files
in data/), train.py (plain, or under torchrun with DistributedDataParallel), weights.safetensors and
a README. The weights are the graph's initial ones (from its seed), or, with --train, the ones after
training it in Node first (the graph's epochs, or --epochs N). To export weights trained in the app,
use its Share menu (PyTorch project). DIR must be empty or new unless --force.`;

interface ExportArgs { file: string; to: string; dir: string; train: boolean; epochs?: number; backend: BackendName; force: boolean }

function parse(args: string[]): ExportArgs | string {
  const out: Partial<ExportArgs> = { train: false, backend: 'wasm', force: false };
  try {
    const once = onlyOnce();
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith('--')) once(a);
      if (a === '--to') {
        out.to = args[++i];
        out.dir = args[++i];
        if (out.to !== 'pytorch') return `--to must be pytorch (the one export format), got ${out.to === undefined ? 'nothing' : JSON.stringify(out.to)}`;
        if (!out.dir || out.dir.startsWith('-')) return '--to pytorch needs a folder to write to';
      } else if (a === '--train') out.train = true;
      else if (a === '--force') out.force = true;
      else if (a === '--epochs') out.epochs = wholeNumber(args[++i], '--epochs', trainerRange('epochs'));
      else if (a === '--backend') out.backend = backendOption(args[++i], ['wasm', 'cpu']);
      else if (a.startsWith('-')) return `unknown option ${a}`;
      else if (out.file) return 'give one graph file';
      else out.file = a;
    }
  } catch (e) {
    return errorMessage(e);
  }
  if (!out.file) return 'give a graph file to export';
  if (!out.dir) return 'say where to: --to pytorch DIR';
  if (out.epochs !== undefined && !out.train) return '--epochs needs --train';
  return out as ExportArgs;
}

/**
 * `mkdir -p`, one folder at a time: Node's own `mkdir(path, { recursive: true })` never returns for a
 * path under /proc/self (it retries the parent it cannot create there for ever; issue 13, family 7).
 */
async function makeFolders(path: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(path); !(await stat(p).catch(() => null)); p = dirname(p)) {
    if (dirname(p) === p) break;
    missing.unshift(p);
  }
  for (const p of missing) await mkdir(p).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
}

/**
 * The first symbolic link among the paths `file` is written through inside `dir` (its folders and
 * itself), or undefined: with --force, a model.py linked to ~/.bashrc was overwritten (issue 13).
 */
async function linkOnTheWay(dir: string, file: string): Promise<string | undefined> {
  let path = dir;
  for (const part of file.split('/')) {
    path = join(path, part);
    const info = await lstat(path).catch(() => null);
    if (!info) return undefined;
    if (info.isSymbolicLink()) return path;
  }
  return undefined;
}

/** Why the output folder cannot be written to (a file, not empty without --force), or undefined. */
async function folderRefusal(dir: string, force: boolean): Promise<string | undefined> {
  const info = await stat(dir).catch(() => null);
  if (!info) return undefined;
  if (!info.isDirectory()) return `${dir} is not a folder`;
  if ((await readdir(dir)).length && !force) return `${dir} is not empty: choose a new folder, or --force to write into it`;
  return undefined;
}

/** `latentflow export FILE --to pytorch DIR ...` */
export async function exportCommand(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    printLines(io.out, exportUsage);
    return exitCodes.ok;
  }
  const a = parse(args);
  if (typeof a === 'string') {
    io.err(`latentflow export: ${a}`);
    printLines(io.err, exportUsage);
    return exitCodes.usage;
  }
  const read = await readGraphText(a.file);
  if ('unreadable' in read) {
    io.err(`${a.file}: cannot read: ${read.unreadable}`);
    return exitCodes.usage;
  }
  const refusal = await folderRefusal(a.dir, a.force);
  if (refusal) {
    io.err(`latentflow export: ${refusal}`);
    return exitCodes.usage;
  }
  const { doc, problems } = 'problem' in read ? { doc: null, problems: [read.problem] } : loadGraph(read.text, registry);
  const compiled = doc && !hasErrors(problems) ? compile(doc, registry) : null;
  const all = compiled && !compiled.ok ? compiled.problems : problems;
  for (const p of all.filter((q) => q.severity === 'error')) io.err(`${a.file}: ${formatProblem(p)}`);
  if (!compiled || !compiled.ok) return exitCodes.problems;

  // The last checkpoint (at the end of training) holds the optimizer's state with the trained weights.
  let optimizerState: OptimizerState | undefined;
  const run = createRun(compiled.plan, { io: nodeIO(), backend: a.backend, epochs: a.epochs, onCheckpoint: (c) => { optimizerState = c.optimizer; } });
  let weights;
  let trainedEpochs = 0;
  try {
    if (a.train) {
      io.err(`training ${a.file} in Node first…`);
      await run.start();
      const status = await run.finished;
      if (status.state === 'failed') {
        io.err(`${a.file}: training failed: ${status.reason}`);
        return exitCodes.problems;
      }
      trainedEpochs = status.epoch;
    }
    weights = await run.getWeights();
  } finally {
    await run.dispose();
  }
  const result = await exportPytorch(compiled.plan, { io: nodeIO(), weights, trainedEpochs, ...(optimizerState ? { optimizerState } : {}) });
  if (!result.ok) {
    for (const p of result.problems) io.err(`${a.file}: ${formatProblem(p)}`);
    return exitCodes.problems;
  }
  try {
    for (const f of result.files) {
      const link = await linkOnTheWay(a.dir, f.path);
      if (link) {
        io.err(`latentflow export: ${link} is a symbolic link: nothing is written through it (it could point anywhere); remove it or choose a new folder`);
        return exitCodes.usage;
      }
    }
    for (const f of result.files) {
      const path = join(a.dir, f.path);
      await makeFolders(dirname(path));
      await writeFile(path, f.bytes);
    }
  } catch (e) {
    io.err(`latentflow export: cannot write to ${a.dir}: ${errorMessage(e).split('\n')[0]}`);
    return exitCodes.usage;
  }
  io.out(`wrote ${result.files.length} files to ${resolve(a.dir)}: ${result.files.filter((f) => !f.path.startsWith('data/')).map((f) => f.path).join(', ')} and data/`);
  if (!a.train) io.out('the weights are the graph\'s initial ones (untrained): add --train to train it in Node first');
  io.out(`run it: cd ${a.dir} && python train.py --resume`);
  return exitCodes.ok;
}
