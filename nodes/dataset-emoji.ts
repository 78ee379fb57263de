import { bool, choice, defineNode, int, socket, type DataIO, type DatasetData } from './define';
import { DataFileError } from './data-error';
import { rawDataset } from './pytorch';
import { joined } from './summaries';
import { errorMessage } from '../src/lib/error-message';

export const emojiSizes = { '20x20-gray': [20, 20, 1], '36x36-rgb': [36, 36, 3] } as const;
export const emojiSets = { core60: 60, faces118: 118 } as const;

/** The emoji files live together; scripts/build-datasets.ts writes them. */
const folder = 'datasets/emoji';

/** Face emojis (Noto Emoji, Apache-2.0) as small gray or RGB images, named from their manifest. */
export const emojiDataset = defineNode({
  kind: 'dataset.emoji', version: 1, title: 'Emoji faces', category: 'dataset',
  summary: (p) => {
    const [h, w, channels] = emojiSizes[p.size];
    return joined(`${Math.min(p.limit, emojiSets[p.set])} faces`, `${w}×${h} ${channels === 1 ? 'gray' : 'colour'}`);
  },
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
    const image = emojiSizes[p.size];
    const samples = Math.min(p.limit, emojiSets[p.set]);
    return { outputs: { x: { type: 'dataset', features: image[0] * image[1] * image[2], image, samples } } };
  },
  load: (p, io) => loadEmoji(io, p.size, p.set, p.limit, p.invert),
  pytorch: rawDataset('emoji faces'),
});

interface EmojiManifest {
  sizes: Record<string, { file: string; image: [number, number, number] }>;
  sets: Record<string, number[]>;
  items: { unified: string; char: string; name: string }[];
}

/**
 * The faces of a set, in manifest order, as floats in [0, 1]. With `invert` a pixel is 1 − v/255:
 * the faces sit on white (near 203/255 on average), so inverting puts the face on black and gives
 * its pixels the high values, which suits sigmoid decoders and binary cross-entropy.
 */
export async function loadEmoji(io: DataIO, size: keyof typeof emojiSizes, set: keyof typeof emojiSets, limit: number, invert: boolean): Promise<DatasetData> {
  const manifestPath = `${folder}/manifest.json`;
  let manifest: EmojiManifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(await io.readAsset(manifestPath))) as EmojiManifest;
  } catch (e) {
    throw new DataFileError(manifestPath, `cannot be read (${errorMessage(e)})`);
  }
  const entry = manifest.sizes[size];
  const indices = manifest.sets[set];
  if (!entry || !indices) throw new DataFileError(manifestPath, `has no ${!entry ? `size ${size}` : `set ${set}`}`);
  const binPath = `${folder}/${entry.file}`;
  const bytes = await io.readAsset(binPath);
  const features = entry.image[0] * entry.image[1] * entry.image[2];
  if (bytes.length !== manifest.items.length * features) {
    throw new DataFileError(binPath, `has ${bytes.length} bytes, expected ${manifest.items.length} faces × ${features} = ${manifest.items.length * features}`);
  }
  const chosen = indices.slice(0, limit);
  const x = new Float32Array(chosen.length * features);
  chosen.forEach((face, i) => {
    const from = face * features;
    for (let j = 0; j < features; j++) {
      const v = bytes[from + j]! / 255;
      x[i * features + j] = invert ? 1 - v : v;
    }
  });
  return { x, count: chosen.length, features, image: entry.image, labels: chosen.map((face) => manifest.items[face]!.name) };
}
