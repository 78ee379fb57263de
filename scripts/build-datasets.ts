/**
 * Rebuilds the emoji dataset files under public/datasets/emoji/ from the checked sprite sheets
 * (PNG, 10 sprites per row) and their manifests, so the runtime never needs a PNG decoder:
 *
 *   npx tsx scripts/build-datasets.ts [SOURCE_DIR]
 *
 * SOURCE_DIR (default ../shared/data, relative to the repo root) holds emoji/google-*.png/.json
 * and licenses/. Output (deterministic: rerunning gives byte-identical files):
 * - faces118-20x20-gray.bin, faces118-36x36-rgb.bin: uint8 pixels, sample after sample, each
 *   row-major with channels last ([118, h, w, c]); the core-60 set is a subset of the 118 faces
 *   with identical pixels (checked here), so it is stored once and selected by index.
 * - manifest.json: the 118 faces (unified code point, character, name, subcategory), the index
 *   list of each set, and each size's file and shape.
 * - the licences of the images (Noto Emoji, Apache-2.0) and of emoji-datasource (MIT).
 */
import { decode } from 'fast-png';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = resolve(root, process.argv[2] ?? '../shared/data');
const out = join(root, 'public/datasets/emoji');
const perRow = 10;

interface ManifestItem { unified: string; char: string; short_name: string; subcategory: string }
interface SourceManifest { package: string; processing: string; license: string; items: ManifestItem[] }

const sizes = { '20x20-gray': { side: 20, channels: 1 }, '36x36-rgb': { side: 36, channels: 3 } } as const;

/** The sprites of one sheet, each [side, side, channels], in manifest order. */
function readSheet(file: string, count: number, side: number, channels: number): Uint8Array[] {
  const png = decode(readFileSync(file));
  if (png.channels !== channels || png.depth !== 8) throw new Error(`${file}: expected ${channels} channel(s) of 8 bits, got ${png.channels} of ${png.depth}`);
  const rows = Math.ceil(count / perRow);
  if (png.width !== perRow * side || png.height !== rows * side) throw new Error(`${file}: expected ${perRow * side}x${rows * side}, got ${png.width}x${png.height}`);
  return Array.from({ length: count }, (_, i) => {
    const sprite = new Uint8Array(side * side * channels);
    const x0 = (i % perRow) * side;
    const y0 = Math.floor(i / perRow) * side;
    for (let y = 0; y < side; y++) {
      const from = ((y0 + y) * png.width + x0) * channels;
      sprite.set(png.data.subarray(from, from + side * channels) as Uint8Array, y * side * channels);
    }
    return sprite;
  });
}

const read = (name: string) => JSON.parse(readFileSync(join(source, 'emoji', name), 'utf8')) as SourceManifest;
const all = read('google-faces118.json');
const core = read('google-core60.json');
const coreIndex = core.items.map((it) => {
  const i = all.items.findIndex((o) => o.unified === it.unified);
  if (i < 0) throw new Error(`core60 face ${it.unified} is missing from faces118`);
  return i;
});

mkdirSync(out, { recursive: true });
const files: Record<string, { file: string; image: [number, number, number] }> = {};
for (const [size, { side, channels }] of Object.entries(sizes)) {
  const faces = readSheet(join(source, 'emoji', `google-faces118-${size}.png`), all.items.length, side, channels);
  const coreFaces = readSheet(join(source, 'emoji', `google-core60-${size}.png`), core.items.length, side, channels);
  coreFaces.forEach((sprite, k) => {
    if (!sprite.every((v, j) => v === faces[coreIndex[k]!]![j])) throw new Error(`core60 sprite ${k} (${size}) differs from its faces118 copy: store the sets separately`);
  });
  const bin = new Uint8Array(faces.length * side * side * channels);
  faces.forEach((sprite, i) => bin.set(sprite, i * sprite.length));
  const file = `faces118-${size}.bin`;
  writeFileSync(join(out, file), bin);
  files[size] = { file, image: [side, side, channels] };
}

const manifest = {
  format: 'latentflow/emoji-sprites',
  source: all.package,
  processing: `${all.processing}; stored as uint8 [n, h, w, c] by scripts/build-datasets.ts`,
  license: `${all.license}; see LICENSE-noto-emoji-Apache-2.0.txt and LICENSE-emoji-datasource-MIT.txt`,
  sizes: files,
  sets: { core60: coreIndex, faces118: all.items.map((_, i) => i) },
  items: all.items.map((it) => ({ unified: it.unified, char: it.char, name: it.short_name, subcategory: it.subcategory })),
};
// Lists of numbers on one line keep the manifest short and diffable.
const text = JSON.stringify(manifest, null, 1).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`);
writeFileSync(join(out, 'manifest.json'), `${text}\n`);
// Copied by content, not with copyFileSync, so read-only sources do not give read-only outputs.
const copy = (from: string, to: string) => writeFileSync(join(out, to), readFileSync(join(source, 'licenses', from)));
copy('Apache-2.0-noto-emoji.txt', 'LICENSE-noto-emoji-Apache-2.0.txt');
copy('emoji-datasource-MIT.txt', 'LICENSE-emoji-datasource-MIT.txt');
copy('emoji-datasource-image-sources.md', 'emoji-datasource-image-sources.md');
console.log(`wrote ${Object.values(files).map((f) => f.file).join(', ')} and manifest.json (${all.items.length} faces, core60 = ${coreIndex.length}) to ${out}`);
