import { choice, defineNode, int, socket, string } from './define';

/** The user's own images (resized) or IDX files, stored in the browser under a key. */
export const uploadDataset = defineNode({
  kind: 'dataset.upload', version: 1, title: 'My images', category: 'dataset',
  description: 'Images or IDX files you upload, resized to one size.',
  inputs: {},
  outputs: { x: socket('dataset', { label: 'samples' }) },
  params: {
    source: string({ default: '', maxLength: 200, help: 'The uploaded files (chosen in the inspector).' }),
    width: int({ min: 1, max: 128, default: 28, structural: true }),
    height: int({ min: 1, max: 128, default: 28, structural: true }),
    color: choice({ options: ['gray', 'rgb'], default: 'gray', structural: true }),
    limit: int({ min: 1, max: 60_000, default: 10_000 }),
  },
  infer: (_in, p) => {
    const c = p.color === 'rgb' ? 3 : 1;
    const image = [p.height as number, p.width as number, c] as const;
    return { outputs: { x: { type: 'dataset', features: image[0] * image[1] * c, image } } };
  },
});
