/**
 * Exports a compiled graph as a runnable PyTorch project: model.py (one nn.Module class per node
 * kind in use, the Model wiring them as the graph does, the loss terms), data.py (the dataset, read
 * from files written alongside), train.py, the trained weights as weights.safetensors and a README.
 * Every kind says how it reads in PyTorch in its own declaration (its `pytorch` form, nodes/pytorch.ts);
 * this file only walks the plan and prints.
 */
import { dict, type Problem } from '../../graph';
import type { DataIO, NodeKind } from '../../../nodes/define';
import type { PyDatasetForm, PyHelper, PyLossForm, PyModuleForm, PyNode } from '../../../nodes/pytorch';
import type { Plan, PlanNode } from '../compile';
import type { NamedWeights, OptimizerState } from '../types';
import { testSplit } from '../test-split';
import { PyWriter, pyIdentifiers, pyLiteral, pyString, type PyValue } from '../../../nodes/python';
import { writeSafetensors, type SafeTensor } from './safetensors';
import { trainPy, weightsPy } from './train-py';

export interface ExportFile { path: string; bytes: Uint8Array }

export interface PytorchExportOptions {
  /** How the dataset reaches its files (disk in Node, the server in the browser). */
  io: DataIO;
  /** The trained weights (every weight of every exported node). */
  weights: NamedWeights;
  /** Epochs the weights were trained for: `train.py --resume` counts on from there (schedules, warm-ups). */
  trainedEpochs?: number;
  /**
   * The optimizer's state with these weights (a run's last checkpoint): Adam's moments and step count go
   * to optimizer.safetensors, so `train.py --resume` continues the same optimisation instead of restarting Adam.
   */
  optimizerState?: OptimizerState;
}

export type PytorchExport = { ok: true; files: ExportFile[] } | { ok: false; problems: Problem[] };

/**
 * Every public member of `torch.nn.Module` (PyTorch 1.13 to 2.x; `_` names are taken care of by
 * `pyIdentifiers`): the Model's attributes are named after nodes, and a node `forward`, `training`, `eval`
 * or `to` would replace the Module's own (a recursion, a TypeError on `model.train()`; issue 13).
 * test/runtime/pytorch-python.shared.test.ts checks it against the installed PyTorch's `dir(nn.Module())`.
 */
export const torchModuleMembers: readonly string[] = ('T_destination add_module apply bfloat16 buffers call_super_init children compile cpu cuda ' +
  'double dump_patches eval extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict ' +
  'modules mtia named_buffers named_children named_modules named_parameters parameters register_backward_hook register_buffer ' +
  'register_forward_hook register_forward_pre_hook register_full_backward_hook register_full_backward_pre_hook ' +
  'register_load_state_dict_post_hook register_load_state_dict_pre_hook register_module register_parameter ' +
  'register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state set_submodule share_memory ' +
  'state_dict to to_empty train training type xpu zero_grad').split(' ');

/** Python's builtins a generated function may call: a node's local variable never hides one. */
const pythonBuiltins = ('abs all any bool dict dir enumerate filter float format getattr hasattr int isinstance iter len list map max ' +
  'min next object open print range repr reversed round setattr slice sorted str sum tuple type zip').split(' ');

/** Names model.py and train.py use themselves, nn.Module's and Python's: a node id never becomes one of them. */
const reserved = ['x', 'self', 'mode', 'stochastic', 'out', 'epoch', 'torch', 'nn', 'F', 'math', 'json', 'struct', 'Path', 'Latent', 'Model',
  'ACTIVATIONS', 'dense', 'init_kernel', 'DenseStack', 'Noise', 'namedtuple', 'loss_terms', 'load_weights', 'save_weights', 'super',
  'new_epoch', ...torchModuleMembers, ...pythonBuiltins,
  // data/ holds the dataset's files, named after its node, beside split.json and mnist/ (a dataset node
  // "split" once wrote data/split.json twice: the test split over its own metadata; issue 13).
  'split', 'mnist'];

interface Exported { node: PlanNode; py: PyNode }

const problem = (node: PlanNode | null, message: string): Problem =>
  ({ severity: 'error', path: node ? `nodes.${node.id}` : '', ...(node ? { nodeId: node.id, kind: node.kind.kind } : {}), message });

/** Writes the project's files for a plan and its trained weights; problems name what cannot be exported. */
export async function exportPytorch(plan: Plan, o: PytorchExportOptions): Promise<PytorchExport> {
  const trainer = plan.trainerId ? plan.byId.get(plan.trainerId)! : null;
  if (!trainer) return { ok: false, problems: [problem(null, 'the graph has no trainer: there is nothing to train in PyTorch')] };
  const chain = plan.stepNodes.map((id) => plan.byId.get(id)!);
  const problems: Problem[] = [];
  for (const n of chain) {
    if (!n.kind.pytorch) problems.push(problem(n, `${n.kind.kind} has no PyTorch form yet, so this graph cannot be exported`));
  }
  const datasets = chain.filter((n) => n.kind.pytorch?.role === 'dataset');
  if (datasets.length !== 1) problems.push(problem(datasets[1] ?? null, `an export trains on one dataset; this graph trains on ${datasets.length}`));
  if (problems.length) return { ok: false, problems };

  const names = pyIdentifiers(chain.map((n) => n.id), reserved);
  const nodes = new Map<string, Exported>(chain.map((n) => [n.id, { node: n, py: { id: n.id, attr: names.get(n.id)!, params: { ...n.params }, inShapes: n.inShapes, outShapes: n.outShapes } }]));
  const dataset = nodes.get(datasets[0]!.id)!;
  const modules = chain.filter((n) => n.kind.pytorch!.role === 'module');
  const losses = trainer.inputs.loss!.map((s) => plan.byId.get(s.node)!);

  /** A node output as a Python value: the batch `x` for the dataset, else the node's variable. */
  const valueOf = (source: { node: string; socket: string }, reader: PlanNode): string | Problem => {
    const from = nodes.get(source.node)!;
    const form = from.node.kind.pytorch!;
    if (form.role === 'dataset') return 'x';
    if (form.role === 'module' && form.outputs.includes(source.socket)) return from.py.attr;
    return problem(reader, `reads ${source.node}.${source.socket}, which the PyTorch export does not carry`);
  };
  const inputsOf = (n: PlanNode, value: (attr: string) => string): Record<string, string> | Problem => {
    const out: Record<string, string> = {};
    for (const [socket, sources] of Object.entries(n.inputs)) {
      if (!sources[0]) continue;
      const v = valueOf(sources[0], n);
      if (typeof v !== 'string') return v;
      out[socket] = v === 'x' ? v : value(v);
    }
    return out;
  };

  // model.py ---------------------------------------------------------------------------------
  const model = new PyWriter();
  model.doc(`The network of "${plan.doc.meta?.title ?? 'a latentflow graph'}", exported from latentflow.\n\n` +
    'One class per node kind, the Model wiring the nodes as the graph does (its attributes are named\nafter the nodes), and the loss terms the trainer sums.');
  model.line('import json', 'import math', 'import struct', 'from collections import namedtuple', 'from pathlib import Path', '')
    .line('import torch', 'import torch.nn.functional as F', 'from torch import nn');
  const helpers = new Map<string, PyHelper>();
  const addHelper = (h: PyHelper) => {
    if (helpers.has(h.name)) return;
    for (const need of h.needs ?? []) addHelper(need);
    helpers.set(h.name, h);
  };
  const kindsInUse = [...new Map(chain.map((n) => [n.kind.kind, n.kind])).values()];
  for (const k of kindsInUse) if (k.pytorch!.role !== 'dataset') for (const h of k.pytorch!.needs ?? []) addHelper(h);
  for (const h of helpers.values()) h.write(model.blank(2));
  for (const k of kindsInUse) {
    const form = k.pytorch!;
    if (form.role === 'module') form.writeClass(model.blank(2));
  }

  const forward: string[] = [];
  for (const n of modules) {
    const e = nodes.get(n.id)!;
    const inputs = inputsOf(n, (attr) => attr);
    if ('severity' in inputs) return { ok: false, problems: [inputs as Problem] };
    forward.push(`${e.py.attr} = ${(n.kind.pytorch as PyModuleForm).call(`self.${e.py.attr}`, inputs, { mode: 'mode', stochastic: 'stochastic' })}`);
  }
  model.blank(2).block('class Model(nn.Module)', (c) => c
    .doc(`The graph's training chain: ${chain.filter((n) => n.kind.pytorch!.role !== 'loss').map((n) => n.id).join(' → ')}.`)
    .blank()
    .block('def __init__(self)', (b) => {
      b.line('super().__init__()');
      for (const n of modules) {
        const e = nodes.get(n.id)!;
        b.line(`self.${e.py.attr} = ${(n.kind.pytorch as PyModuleForm).construct(e.py)}`);
      }
    })
    .blank()
    .block('def forward(self, x, mode="train", stochastic=True)', (b) => b
      .doc('Every node\'s value by its name. mode is latentflow\'s: "train", "test" (the held-out loss: noise and\n' +
        'sampling, no dropout) or "eval" (views: a VAE\'s mean); stochastic=False turns noise and sampling off.')
      .line(...forward)
      .line(`return {${modules.map((n) => `${pyString(nodes.get(n.id)!.py.attr)}: ${nodes.get(n.id)!.py.attr}`).join(', ')}}`))
    .blank()
    .block('def new_epoch(self, generator)', (b) => b
      .doc('Draws the noise levels that change once per epoch.')
      .block('for module in self.children()', (l) => l.block('if hasattr(module, "new_epoch")', (i) => i.line('module.new_epoch(generator)')))));

  const terms: string[] = [];
  for (const n of losses) {
    const inputs = inputsOf(n, (attr) => `out[${pyString(attr)}]`);
    if ('severity' in inputs) return { ok: false, problems: [inputs as Problem] };
    terms.push(`${pyString(nodes.get(n.id)!.py.attr)}: ${(n.kind.pytorch as PyLossForm).call(nodes.get(n.id)!.py, inputs, 'epoch')},`);
  }
  model.blank(2).block('def loss_terms(out, x, epoch)', (b) => b
    .doc('The loss terms by node; train.py minimises their sum.')
    .line('return {').line(...terms.map((t) => `    ${t}`)).line('}'));
  model.blank(2).line(weightsPy);

  // data.py ----------------------------------------------------------------------------------
  const dataForm = dataset.node.kind.pytorch as PyDatasetForm;
  const data = new PyWriter();
  data.doc(`The training data of "${plan.doc.meta?.title ?? 'the graph'}": ${dataset.node.kind.title} (node "${dataset.node.id}"), read from data/.`);
  data.line('import gzip', 'import json', 'import struct', 'import sys', 'from pathlib import Path', '', 'import torch', '')
    .line('DATA = Path(__file__).resolve().parent / "data"');
  const dataHelpers = new Map<string, PyHelper>();
  const addDataHelper = (h: PyHelper) => {
    if (dataHelpers.has(h.name)) return;
    for (const need of h.needs ?? []) addDataHelper(need);
    dataHelpers.set(h.name, h);
  };
  for (const h of dataForm.needs) addDataHelper(h);
  for (const h of dataHelpers.values()) h.write(data.blank(2));
  data.blank(2).block('def load_data()', (b) => {
    b.doc('Every sample as float32 [n, features] with pixels in [0, 1], and their labels (or None).');
    dataForm.writeLoader(b, dataset.py);
  });

  // train.py ---------------------------------------------------------------------------------
  const tp = trainer.params;
  const config: Record<string, PyValue> = {
    optimizer: tp.optimizer as string, lr: tp.lr as number, beta1: tp.beta1 as number, beta2: tp.beta2 as number, momentum: tp.momentum as number,
    schedule: tp.schedule as string, decay_rate: tp.decayRate as number, decay_every: tp.decayEvery as number,
    adaptive_after: tp.adaptiveAfter as number, adaptive_grow: tp.adaptiveGrow as number, adaptive_shrink: tp.adaptiveShrink as number,
    epochs: tp.epochs as number, batch_size: tp.batchSize as number, test_split: tp.testSplit as number, test_every: tp.testEvery as number,
    patience: tp.patience as number, min_delta: tp.minDelta as number, seed: tp.seed as number,
  };
  const train = new PyWriter();
  train.doc(`Trains "${plan.doc.meta?.title ?? 'the graph'}" with PyTorch, as latentflow does: the graph's losses, optimizer,\n` +
    'learning-rate schedule, epochs, batch size, test split and early stopping (see README.md).\n\n' +
    '    python train.py --resume                          # on from the browser\'s weights\n' +
    '    torchrun --nproc_per_node 2 train.py --resume     # DistributedDataParallel: gloo on CPU, nccl on GPUs');
  train.line('import argparse', 'import hashlib', 'import json', 'import math', 'import os', 'import time', 'from pathlib import Path', '')
    .line('import torch', 'import torch.distributed as dist', 'from torch.nn.parallel import DistributedDataParallel', '')
    .line('from data import DATA, load_data', 'from model import Model, load_weights, loss_terms, read_safetensors, save_weights, tensor_bytes', '')
    .line('HERE = Path(__file__).resolve().parent', '')
    .comment(`The trainer node "${trainer.id}"'s settings.`)
    .assign('CONFIG', config);

  // Files ------------------------------------------------------------------------------------
  const weights = stateDict(modules.map((n) => nodes.get(n.id)!), o.weights);
  if (!(weights instanceof Map)) return { ok: false, problems: weights };
  const loaded = await dataset.node.kind.load!(dataset.node.params, o.io);
  const files: ExportFile[] = [];
  const text = (path: string, s: string) => files.push({ path, bytes: new TextEncoder().encode(s) });
  text('model.py', model.toString());
  text('data.py', data.toString());
  text('train.py', `${train.toString()}${trainPy}`);
  files.push({ path: 'weights.safetensors', bytes: writeSafetensors(weights, { format: 'pt', epoch: String(o.trainedEpochs ?? 0), source: 'latentflow' }) });
  const moments = o.optimizerState ? adamMoments(plan, modules.map((n) => nodes.get(n.id)!), o.weights, o.optimizerState) : null;
  if (moments) files.push({ path: 'optimizer.safetensors', bytes: writeSafetensors(moments, { optimizer: 'adam', step: String(o.optimizerState!.iterations), source: 'latentflow' }) });
  for (const f of await dataForm.files(dataset.py, loaded, o.io)) files.push(f);
  const split = testSplit(loaded.count, tp.testSplit as number, tp.seed as number, dataset.node.id);
  if (split) text('data/split.json', `${JSON.stringify({ test: Array.from(split.test) })}\n`);
  text('README.md', readme(plan, kindsInUse, modules.map((n) => nodes.get(n.id)!), config, o.trainedEpochs, moments !== null));
  // One file per path, whatever the nodes are called: a second would overwrite the first on disk (on
  // macOS and Windows also when only the case differs: a dataset node "Split").
  const twice = files.find((f, i) => files.findIndex((g) => g.path.toLowerCase() === f.path.toLowerCase()) !== i);
  if (twice) return { ok: false, problems: [problem(dataset.node, `the export would write ${twice.path} twice; rename node "${dataset.node.id}"`)] };
  return { ok: true, files };
}

/** latentflow's weights under the Model's state_dict names (kernels transposed to PyTorch's [out, in]). */
function stateDict(modules: Exported[], weights: NamedWeights): Map<string, SafeTensor> | Problem[] {
  const out = new Map<string, SafeTensor>();
  const problems: Problem[] = [];
  for (const { node, py } of modules) {
    const form = node.kind.pytorch as PyModuleForm;
    for (const [name, w] of Object.entries(weights[node.id] ?? {})) {
      const target = form.weight(name);
      if (!target) {
        problems.push(problem(node, `has a weight ${name} that its PyTorch form does not place`));
        continue;
      }
      out.set(`${py.attr}.${target.key}`, target.transpose ? transpose(w) : { shape: w.shape, values: w.values });
    }
  }
  return problems.length ? problems : out;
}

/**
 * Adam's moments under `exp_avg.NAME` and `exp_avg_sq.NAME` (NAME a state_dict name, laid out as the
 * weight), or null when the state is not Adam's over these weights. tfjs keeps a slot per weight in the
 * run's weight order (the plan's step nodes, each node's weights in order): first moments, then second.
 */
function adamMoments(plan: Plan, modules: Exported[], weights: NamedWeights, state: OptimizerState): Map<string, SafeTensor> | null {
  if (state.optimizer !== 'adam') return null;
  const order = plan.stepNodes.flatMap((id) => Object.entries(weights[id] ?? {}).map(([name, w]) => ({ id, name, w })));
  if (state.slots.length !== 2 * order.length) return null;
  const slotWeights = (k: number): NamedWeights | null => {
    const out: NamedWeights = dict();
    for (const [i, { id, name, w }] of order.entries()) {
      const slot = state.slots[k * order.length + i]!;
      if (slot.values.length !== w.values.length || slot.shape.join() !== w.shape.join()) return null;
      (out[id] ??= dict())[name] = slot;
    }
    return out;
  };
  const [m, v] = [slotWeights(0), slotWeights(1)];
  const first = m && stateDict(modules, m);
  const second = v && stateDict(modules, v);
  if (!(first instanceof Map) || !(second instanceof Map)) return null;
  return new Map([...[...first].map(([k, t]) => [`exp_avg.${k}`, t] as const), ...[...second].map(([k, t]) => [`exp_avg_sq.${k}`, t] as const)]);
}

function transpose(w: { shape: number[]; values: Float32Array }): SafeTensor {
  const [rows, cols] = w.shape as [number, number];
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[c * rows + r] = w.values[r * cols + c]!;
  return { shape: [cols, rows], values };
}

/** What weights.safetensors holds, from the epochs trained before the export (unknown: weights kept from an earlier run). */
function weightsOrigin(trainedEpochs: number | undefined, seed: PyValue): string {
  if (trainedEpochs === 0) {
    return `the graph's initial weights (seed ${pyLiteral(seed)}), untrained: train first (in the app, or \`latentflow export --train\`) to carry trained weights along`;
  }
  return trainedEpochs === undefined ? 'the weights trained in latentflow' : `the weights trained in latentflow (${trainedEpochs} epochs)`;
}

function readme(plan: Plan, kinds: NodeKind[], modules: Exported[], config: Record<string, PyValue>, trainedEpochs: number | undefined, moments: boolean): string {
  const title = plan.doc.meta?.title ?? 'latentflow graph';
  const rows = modules.map(({ node, py }) => `| \`${py.attr}\` | \`${node.id}\` | ${node.kind.kind} | \`${(node.kind.pytorch as PyModuleForm).className}\` |`);
  return `# ${title} — PyTorch

Exported from latentflow with ${weightsOrigin(trainedEpochs, config.seed!)}.
${plan.doc.meta?.description ? `\n> ${plan.doc.meta.description}\n` : ''}
## Run it

Needs Python 3.9+ and PyTorch (\`pip install torch\`, or Debian's \`apt install python3-torch\`); the
\`safetensors\` package is used when installed, else the scripts read and write the format themselves.

\`\`\`sh
python train.py --resume             # trains on from the browser's weights (weights.safetensors)
python train.py                      # trains from a fresh initialisation (seed ${pyLiteral(config.seed!)})
python train.py --resume --epochs 50 --device cuda
torchrun --nproc_per_node 4 train.py --resume   # DistributedDataParallel: gloo on CPU, nccl on GPUs
\`\`\`

\`train.py --help\` lists every option (\`--steps\`, \`--lr\`, \`--batch-size\`, \`--no-noise\` for a deterministic
run, \`--json\` for a summary per rank). The trained weights go to \`trained.safetensors\` (\`--out\`); the
browser's stay in \`weights.safetensors\`. Under torchrun each rank trains on its share of every batch
and DistributedDataParallel averages the gradients, so all ranks hold the same weights. (PyTorch 1.13's
torchrun under Python 3.11 fails with \`'NoneType' object has no attribute 'get'\`: add \`--redirects 1 --tee 1\`.)
If torchrun waits and nothing happens, this machine's host name may not resolve (common in containers): name the
master yourself, \`torchrun --nnodes 1 --master_addr 127.0.0.1 --master_port 29500 --nproc_per_node 4 train.py --resume\`.

In Python:

\`\`\`python
from model import Model, load_weights
from data import load_data

model = Model()
load_weights(model, "weights.safetensors")
model.eval()
x, labels = load_data()
out = model(x, mode="eval")   # every node's value by name; "eval" uses a VAE's mean and no dropout
\`\`\`

## Files

- \`model.py\` — one class per node kind (${kinds.filter((k) => k.pytorch!.role === 'module').map((k) => `\`${(k.pytorch as PyModuleForm).className}\``).join(', ')}), the \`Model\` wiring the nodes, \`loss_terms\`.
- \`data.py\` and \`data/\` — the dataset, read from the files written here${plan.nodes.some((n) => n.kind.kind === 'dataset.mnist') ? ' (MNIST as its original IDX files)' : ''}.
- \`train.py\` — the trainer's settings (\`CONFIG\`) and the training loop.
- \`weights.safetensors\` — ${weightsOrigin(trainedEpochs, config.seed!)}, under the Model's state_dict names.${moments ? '\n- `optimizer.safetensors` — Adam\'s moments and step count with those weights (`--resume` reads them).' : ''}

| attribute | node | kind | class |
|---|---|---|---|
${rows.join('\n')}

## Differences from the browser

- Random draws (initialisation, shuffling, noise, sampling) come from PyTorch's generator, not TensorFlow.js's:
  the same seed gives a different but equally distributed run. The test split is the browser's (\`data/split.json\`).
${moments
    ? '- `--resume` continues the same optimisation: Adam\'s moments and step count come from `optimizer.safetensors`.'
    : '- `--resume` starts from these weights with a fresh optimizer state (no optimizer state came with them: Adam\'s first steps move every weight by about the learning rate, so the loss may jump before it falls again).'}
- Batch norm normalises with the statistics of the batch at hand, as in the browser; under torchrun each rank
  uses its own share of the batch.
`;
}
