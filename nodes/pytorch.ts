/**
 * How a node kind reads in PyTorch: the `pytorch` field of its declaration (see nodes/define.ts).
 * The exporter (src/runtime/pytorch/) walks the compiled plan and asks each node's form for its
 * class, constructor call, forward call, weight names, loss expression or dataset files; the Python
 * shared by several kinds (the dense stack, the noise base class, file readers) lives here, once.
 */
import type { Params, Shape } from '../src/graph';
import { expr, pyCall, pyLiteral, pyNumber, type PyValue, type PyWriter } from './python';
import type { DataIO, DatasetData } from './define';
import type { DenseStackParams } from './dense-params';
import { levelParam } from './level';
import { encodeIdx } from './idx';
import { leakyReluAlpha } from './activations';

/** Python written once into a file however many kinds need it (a base class, a reader); `needs` come first. */
export interface PyHelper { name: string; needs?: readonly PyHelper[]; write(w: PyWriter): void }

/** A node as the exporter hands it to its kind's form. */
export interface PyNode<V = Params> {
  id: string;
  /** Its Python name: the Model's attribute, the forward's variable, the state_dict prefix. */
  attr: string;
  params: V;
  inShapes: Record<string, Shape | undefined>;
  outShapes: Record<string, Shape>;
}

/** A kind that becomes an `nn.Module` (noise, networks, latents). */
export interface PyModuleForm<V = Params> {
  role: 'module';
  className: string;
  needs?: readonly PyHelper[];
  /** The class, written once per kind in use. */
  writeClass(w: PyWriter): void;
  /** The constructor call for one node. */
  construct(node: PyNode<V>): string;
  /**
   * The forward call, from the module expression, each input socket's Python value and the Model's
   * `mode` ("train", "test" or "eval", as latentflow's StepMode) and `stochastic` (noise and sampling on) flags.
   */
  call(module: string, inputs: Record<string, string>, flags: { mode: string; stochastic: string }): string;
  /** The output sockets the returned value stands for (a latent's value is a `Latent` tuple). */
  outputs: readonly string[];
  /** A latentflow variable (`dense0/kernel`) as a state_dict key under the module; kernels are stored transposed ([out, in]). */
  weight(name: string): { key: string; transpose: boolean } | null;
}

/** A loss term: a function written once per kind, and its call for one node. */
export interface PyLossForm<V = Params> {
  role: 'loss';
  needs: readonly PyHelper[];
  /** The term's expression from its inputs' Python values and the epoch variable. */
  call(node: PyNode<V>, inputs: Record<string, string>, epoch: string): string;
}

/** A dataset: the files written next to the scripts, and the loader reading them back. */
export interface PyDatasetForm<V = Params> {
  role: 'dataset';
  needs: readonly PyHelper[];
  /** Files under `data/` (paths relative to the project), from the loaded samples or the shipped files. */
  files(node: PyNode<V>, data: DatasetData, io: DataIO): Promise<{ path: string; bytes: Uint8Array }[]>;
  /** The body of `load_data()`: ends returning `x` (float32 [n, features], pixels in [0, 1]) and the labels (or None). */
  writeLoader(w: PyWriter, node: PyNode<V>): void;
}

export type PytorchForm<V = Params> = PyModuleForm<V> | PyLossForm<V> | PyDatasetForm<V>;

// ---------------------------------------------------------------------------------------------
// Shared Python: model.py

/** The latent socket's Python value. */
export const latentTuple: PyHelper = {
  name: 'Latent',
  write: (w) => w
    .comment("A latent code: z (what the decoder reads), and a gaussian latent's mean and log-variance.")
    .line('Latent = namedtuple("Latent", ["z", "mean", "log_var"])'),
};

/** ACTIVATIONS, init_kernel and dense(): one linear layer initialised as latentflow does. */
export const denseLayer: PyHelper = {
  name: 'dense',
  write: (w) => {
    w.assign('ACTIVATIONS', {
      sigmoid: expr('nn.Sigmoid'), tanh: expr('nn.Tanh'), relu: expr('nn.ReLU'),
      'leaky-relu': expr(`lambda: nn.LeakyReLU(${leakyReluAlpha})`), elu: expr('nn.ELU'), linear: expr('nn.Identity'),
    });
    w.blank(2).block('def init_kernel(weight, init)', (b) => b
      .doc("latentflow's initialisers: glorot (uniform), he (normal) or uniform in ±1/√fan_in.")
      .line('fan_in = weight.shape[1]')
      .block('if init == "he"', (c) => c.line('nn.init.normal_(weight, 0.0, math.sqrt(2.0 / fan_in))'))
      .block('elif init == "uniform"', (c) => c.line('bound = 1.0 / math.sqrt(fan_in)', 'nn.init.uniform_(weight, -bound, bound)'))
      .block('else', (c) => c.line('nn.init.xavier_uniform_(weight)')));
    w.blank(2).block('def dense(inputs, units, init="glorot")', (b) => b
      .doc('A linear layer initialised as latentflow does (biases at zero).')
      .line('layer = nn.Linear(inputs, units)', 'init_kernel(layer.weight, init)', 'nn.init.zeros_(layer.bias)', 'return layer'));
  },
};

/** The chain of dense layers the encoder and decoder share (latentflow's DenseStack). */
export const denseStack: PyHelper = {
  name: 'DenseStack',
  needs: [denseLayer],
  write: (w) => w.block('class DenseStack(nn.Module)', (c) => c
    .doc('Dense layers, each followed by batch norm (hidden layers; the statistics of the batch at hand,\nalso when evaluating), its activation and dropout (while training).')
    .blank()
    .block('def __init__(self, inputs, units, activations, init="glorot", batch_norm=False, dropout=0.0, dropout_on_last=False)', (b) => b
      .line('super().__init__()', 'sizes = [inputs, *units]')
      .line('self.layers = nn.ModuleList(dense(a, b, init) for a, b in zip(sizes, sizes[1:]))')
      .line('hidden = units[:-1] if batch_norm else []')
      .line('self.norms = nn.ModuleList(nn.BatchNorm1d(u, eps=1e-5, track_running_stats=False) for u in hidden)')
      .line('self.activations = nn.ModuleList(ACTIVATIONS[a]() for a in activations)')
      .line('self.dropout = dropout', 'self.dropout_on_last = dropout_on_last'))
    .blank()
    .block('def forward(self, x)', (b) => b
      .line('last = len(self.layers) - 1')
      .block('for i, layer in enumerate(self.layers)', (l) => l
        .line('x = layer(x)')
        .block('if i < len(self.norms)', (n) => n.line('x = self.norms[i](x)'))
        .line('x = self.activations[i](x)')
        .block('if self.dropout > 0 and (i < last or self.dropout_on_last)', (d) => d.line('x = F.dropout(x, self.dropout, self.training)')))
      .line('return x'))),
};

/** A dense stack's variables (`dense0/kernel`, `/bias`, `/gamma`, `/beta`) under DenseStack's names. */
export function denseStackWeight(name: string, prefix = 'dense'): { key: string; transpose: boolean } | null {
  const m = new RegExp(`^${prefix}(\\d+)/(kernel|bias|gamma|beta)$`).exec(name);
  if (!m) return null;
  const [, i, v] = m;
  if (v === 'kernel') return { key: `layers.${i}.weight`, transpose: true };
  if (v === 'bias') return { key: `layers.${i}.bias`, transpose: false };
  return { key: `norms.${i}.${v === 'gamma' ? 'weight' : 'bias'}`, transpose: false };
}

/** The per-layer activations of a dense stack's params (the list when given, else one for all). */
export function pyActivations(p: DenseStackParams): string[] {
  const units = p.units;
  const per = p.activations;
  return units.map((_, i) => (per && per.length === units.length ? per[i]! : (p.activation)));
}

/** A dense stack's shared constructor keywords. */
export function denseKeywords(p: DenseStackParams): Record<string, PyValue> {
  return { init: p.init, batch_norm: p.batchNorm, dropout: expr(pyNumber(p.dropout, true)) };
}

/** The noise base class: a level that is fixed, or drawn once per epoch (train.py calls new_epoch). */
export const noiseBase: PyHelper = {
  name: 'Noise',
  write: (w) => w.block('class Noise(nn.Module)', (c) => c
    .doc('Corrupts its input at a level that is fixed, or drawn uniformly from [low, high] once per epoch.')
    .blank()
    .block('def __init__(self, level, mode="fixed", low=0.0, high=0.0, at_inference=True)', (b) => b
      .line('super().__init__()', 'self.level = level', 'self.mode = mode', 'self.low, self.high = sorted((low, high))', 'self.at_inference = at_inference'))
    .blank()
    .block('def new_epoch(self, generator)', (b) => b
      .block('if self.mode == "random-per-epoch"', (i) => i.line('self.level = self.low + (self.high - self.low) * torch.rand((), generator=generator).item()')))
    .blank()
    .block('def forward(self, x, mode="train", stochastic=True)', (b) => b
      .doc('No noise when evaluating with at_inference off, when stochastic is off, or at level 0.')
      .block('if not stochastic or self.level <= 0 or (mode == "eval" and not self.at_inference)', (i) => i.line('return x'))
      .line('return self.corrupt(x, self.level)'))),
};

/** A param named by the kind (a noise's `clip`), as a Python literal. */
const namedParam = (params: Readonly<Record<string, unknown>>, key: string): PyValue => pyParam(params[key]);

/** A param value as a Python literal (a scalar, or a list of them). */
function pyParam(v: unknown): PyValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(pyParam);
  throw new Error(`a param value ${JSON.stringify(v)} has no Python form`);
}

/** A noise kind's form: a Noise subclass with its corruption. */
export function noiseForm<V extends { mode: string; atInference: boolean }>(className: string, levelName: string, doc: string, corrupt: string[], extra?: { name: string; param: string; default: PyValue }): PyModuleForm<V> {
  return {
    role: 'module', className, needs: [noiseBase], outputs: ['x'],
    writeClass: (w) => w.block(`class ${className}(Noise)`, (c) => {
      c.doc(doc).blank();
      if (extra) {
        c.block(`def __init__(self, *args, ${extra.name}=${pyLiteral(extra.default)}, **kwargs)`, (b) => b
          .line('super().__init__(*args, **kwargs)', `self.${extra.name} = ${extra.name}`)).blank();
      }
      c.block('def corrupt(self, x, level)', (b) => b.line(...corrupt));
    }),
    construct: (n) => pyCall(className, [levelParam(n.params, levelName)], {
      mode: n.params.mode, low: levelParam(n.params, `${levelName}Min`), high: levelParam(n.params, `${levelName}Max`),
      at_inference: n.params.atInference, ...(extra ? { [extra.name]: namedParam(n.params, extra.param) } : {}),
    }),
    call: (m, inputs, f) => `${m}(${inputs.x}, ${f.mode}, ${f.stochastic})`,
    weight: () => null,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared Python: data.py

const readers: PyHelper = {
  name: 'readers',
  write: (w) => {
    w.block('def read_raw(name)', (b) => b
      .doc('A float32 array latentflow wrote: data/NAME.f32 (raw, little-endian) and data/NAME.json (its shape and labels).')
      .line('meta = json.loads((DATA / f"{name}.json").read_text())')
      .line('values = torch.frombuffer(bytearray((DATA / f"{name}.f32").read_bytes()), dtype=torch.float32)')
      .block('if sys.byteorder != "little"', (i) => i.line('raise RuntimeError("data/*.f32 files are little-endian; this machine is big-endian")'))
      .line('return values.reshape(meta["shape"]).clone(), meta.get("labels")'));
    w.blank(2).block('def read_idx(name)', (b) => b
      .doc('An IDX file of unsigned bytes (MNIST\'s format; gzip or not) as a uint8 tensor of its sizes.')
      .line('raw = (DATA / name).read_bytes()')
      .block('if raw[:2] == b"\\x1f\\x8b"', (i) => i.line('raw = gzip.decompress(raw)'))
      .block('if raw[2] != 0x08', (i) => i.line('raise ValueError(f"{name}: only IDX files of unsigned bytes are read")'))
      .line('dims = struct.unpack(f">{raw[3]}I", raw[4 : 4 + 4 * raw[3]])')
      .line('return torch.frombuffer(bytearray(raw[4 + 4 * raw[3] :]), dtype=torch.uint8).reshape(dims)'));
  },
};

/** Raw float32 samples and their shape/labels (font and emoji: the samples exactly as latentflow loaded them). */
export const rawDataset = (what: string): PyDatasetForm => ({
  role: 'dataset', needs: [readers],
  files: async (n, data) => {
    const bytes = new Uint8Array(data.x.length * 4);
    const view = new DataView(bytes.buffer);
    data.x.forEach((v, i) => view.setFloat32(4 * i, v, true));
    const meta = { what, shape: [data.count, data.features], image: data.image, labels: data.labels ?? null };
    return [{ path: `data/${n.attr}.f32`, bytes }, { path: `data/${n.attr}.json`, bytes: new TextEncoder().encode(`${JSON.stringify(meta)}\n`) }];
  },
  writeLoader: (w, n) => w.line(`return read_raw(${pyLiteral(n.attr)})`),
});

/** Samples written as one IDX file of bytes (an upload: its pixels were bytes before they were scaled to [0, 1]). */
export const idxDataset: PyDatasetForm = {
  role: 'dataset', needs: [readers],
  files: async (n, data) => {
    const bytes = Uint8Array.from(data.x, (v) => Math.round(v * 255));
    const files = [{ path: `data/${n.attr}-images-idx${data.image[2] === 1 ? 3 : 4}-ubyte`, bytes: encodeIdx(data.image[2] === 1 ? [data.count, data.image[0], data.image[1]] : [data.count, ...data.image], bytes) }];
    if (data.labels) files.push({ path: `data/${n.attr}-labels.json`, bytes: new TextEncoder().encode(`${JSON.stringify(data.labels)}\n`) });
    return files;
  },
  writeLoader: (w, n) => w
    .line(`images = read_idx(${pyLiteral(`${n.attr}-images-idx${(n.outShapes.x as { image?: readonly number[] }).image?.[2] === 1 ? 3 : 4}-ubyte`)})`)
    .line(`labels_file = DATA / ${pyLiteral(`${n.attr}-labels.json`)}`)
    .line('labels = json.loads(labels_file.read_text()) if labels_file.exists() else None')
    .line('return images.reshape(images.shape[0], -1).float() / 255, labels'),
};

export { readers as pyDataReaders };
