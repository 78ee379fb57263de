import { bool, choice, defineNode, int, socket } from './define';

export const emojiSizes = { '20x20-gray': [20, 20, 1], '36x36-rgb': [36, 36, 3] } as const;
export const emojiSets = { core60: 60, faces118: 118 } as const;

/** Face emojis (Noto Emoji, Apache-2.0) as small gray or RGB images, named from their manifest. */
export const emojiDataset = defineNode({
  kind: 'dataset.emoji', version: 1, title: 'Emoji faces', category: 'dataset',
  description: 'Noto face emojis, 20x20 gray or 36x36 RGB, 60 or 118 faces.',
  inputs: {},
  outputs: { x: socket('dataset', { label: 'faces' }) },
  params: {
    size: choice({ options: ['20x20-gray', '36x36-rgb'], default: '20x20-gray', structural: true }),
    set: choice({ options: ['core60', 'faces118'], default: 'core60', structural: true }),
    limit: int({ min: 1, max: 118, default: 118, structural: true }),
    invert: bool({ default: true, help: 'Dark faces on black: gives the face pixels the high values.' }),
  },
  infer: (_in, p) => {
    const image = emojiSizes[p.size as keyof typeof emojiSizes];
    const samples = Math.min(p.limit as number, emojiSets[p.set as keyof typeof emojiSets]);
    return { outputs: { x: { type: 'dataset', features: image[0] * image[1] * image[2], image, samples } } };
  },
});
