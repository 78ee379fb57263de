import { choice, defineNode, int, socket, string, type DataIO, type DatasetData } from './define';
import { encodeIdx, parseIdx, type DimsCheck, type IdxArray } from './idx';
import { DataFileError, DataFilesError } from './data-error';
import { resizeImage, toChannels, type ByteImage } from './image-data';
import { idxDataset } from './pytorch';
import { errorMessage } from '../src/lib/error-message';

/** The user's own images (resized) or IDX files, stored in the browser under a key. */
export const uploadDataset = defineNode({
  kind: 'dataset.upload', version: 1, title: 'My images', category: 'dataset',
  summary: (p) => `${p.width}x${p.height} ${p.color}`,
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
    const image = [p.height, p.width, c] as const;
    return { outputs: { x: { type: 'dataset', features: image[0] * image[1] * c, image } } };
  },
  load: async (p, io) => {
    const files = await readUploadFiles(io, p.source);
    return loadUpload(files, { height: p.height, width: p.width, channels: p.color === 'rgb' ? 3 : 1, limit: p.limit });
  },
  pytorch: idxDataset,
});

/*
 * What the upload UI stores, one entry per file, in the order the user chose them:
 *
 *   "LFUP" | version (1 byte, = 1) | name length (uint16, big-endian) | name (UTF-8) | payload
 *
 * The payload is always IDX of unsigned bytes, raw or gzip: uploaded IDX files are stored as they
 * are, and images (PNG, JPEG, … decoded by the browser, which the runtime cannot do in a worker
 * or in Node) are stored with `imageToUpload` as IDX [1, h, w, c]. So the runtime parses one
 * format only, and can still name every file in its messages. A bare IDX file without the
 * envelope is accepted too (named "file N").
 */

/** An image the UI has decoded (e.g. canvas ImageData: RGBA bytes), with the file name it came from. */
export interface DecodedUpload extends ByteImage {
  name: string;
}

const magic = [0x4c, 0x46, 0x55, 0x50]; // "LFUP"
const envelopeVersion = 1;
const maxFloats = 64 * 1024 * 1024;
/** The longest side of an image that can be resized (memory for resizing grows with the sides). */
export const maxImageSide = 16_384;
/** Refuses image sides too long to resize, from the IDX header, before its data is inflated. */
const imageSides: DimsCheck = (dims) => {
  if (dims.length < 3) return undefined;
  const [, h, w] = dims as [number, number, number];
  return h > maxImageSide || w > maxImageSide ? `holds images of ${h}×${w} pixels; images up to ${maxImageSide}×${maxImageSide} can be resized` : undefined;
};

/** Wraps a file's bytes with its name, as the upload UI stores it. */
export function wrapUpload(name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name).subarray(0, 0xffff);
  const out = new Uint8Array(7 + nameBytes.length + payload.length);
  out.set(magic, 0);
  out[4] = envelopeVersion;
  new DataView(out.buffer).setUint16(5, nameBytes.length, false);
  out.set(nameBytes, 7);
  out.set(payload, 7 + nameBytes.length);
  return out;
}

/** The name and payload of a stored upload; a bare file gets the name "file N" (1-based). */
export function unwrapUpload(bytes: Uint8Array, index: number): { name: string; payload: Uint8Array } {
  const fallback = `file ${index + 1}`;
  if (bytes.length < 7 || !magic.every((b, i) => bytes[i] === b)) return { name: fallback, payload: bytes };
  if (bytes[4] !== envelopeVersion) throw new DataFileError(fallback, `was stored by a newer version of latentflow (upload format ${bytes[4]}); upload it again`);
  const length = new DataView(bytes.buffer, bytes.byteOffset + 5, 2).getUint16(0, false);
  if (bytes.length < 7 + length) throw new DataFileError(fallback, 'is a truncated upload (its name runs past its end)');
  return { name: new TextDecoder().decode(bytes.subarray(7, 7 + length)), payload: bytes.subarray(7 + length) };
}

/** Stores a decoded image as a named one-sample IDX ([1, h, w] gray, else [1, h, w, c]). */
export function imageToUpload(img: DecodedUpload): Uint8Array {
  const dims = img.channels === 1 ? [1, img.height, img.width] : [1, img.height, img.width, img.channels];
  return wrapUpload(img.name, encodeIdx(dims, Uint8Array.from(img.data)));
}

/** Reads the stored files of an upload, or says why there are none. */
export async function readUploadFiles(io: DataIO, key: string): Promise<Uint8Array[]> {
  if (!key) throw new Error('no files chosen: pick images or IDX files for this node in the inspector');
  if (!io.readUpload) throw new Error('uploaded files are not available here (only in the browser that stored them)');
  const files = await io.readUpload(key);
  if (!files.length) throw new Error(`the upload "${key}" holds no files: pick them again`);
  return files;
}

export interface UploadOptions { height: number; width: number; channels: 1 | 3; limit: number }

interface ParsedFile { name: string; idx: IdxArray }

/**
 * Turns stored upload files into a dataset: image files are converted to the chosen channels and
 * resized to the chosen size; label files (IDX [n]) label the image file they pair with (by name,
 * `…labels…idx1…` ↔ `…images…idx3…`, else by order). Without label files, a one-image file is
 * labelled by its folder, else by its name without extension. Every bad file is named in one error.
 */
export function loadUpload(files: readonly Uint8Array[], o: UploadOptions): DatasetData {
  const problems: DataFileError[] = [];
  const images: ParsedFile[] = [];
  const labels: ParsedFile[] = [];
  files.forEach((bytes, i) => {
    try {
      const { name, payload } = unwrapUpload(bytes, i);
      const idx = parseIdx(payload, name, 'any', imageSides);
      const nd = idx.dims.length;
      if (nd === 1) labels.push({ name, idx });
      else if (nd === 3 || (nd === 4 && idx.dims[3]! >= 1 && idx.dims[3]! <= 4)) images.push({ name, idx });
      else throw new DataFileError(name, `holds sizes ${idx.dims.join('×')}: expected images [n, h, w] or [n, h, w, channels ≤ 4], or labels [n]`);
    } catch (e) {
      problems.push(e instanceof DataFileError ? e : new DataFileError(`file ${i + 1}`, errorMessage(e)));
    }
  });
  if (!problems.length && !images.length) problems.push(new DataFileError(labels[0]?.name ?? 'upload', 'holds labels only: add the image file they belong to'));
  const pairs = problems.length ? [] : pairLabels(images, labels, problems);
  if (problems.length) throw new DataFilesError(problems);

  const features = o.height * o.width * o.channels;
  const total = Math.min(o.limit, images.reduce((a, f) => a + f.idx.dims[0]!, 0));
  if (total * features > maxFloats) throw new Error(`${total} samples of ${features} values are too many to hold: lower the limit or the size`);
  const x = new Float32Array(total * features);
  const out: string[] = [];
  let count = 0;
  for (const [k, file] of images.entries()) {
    const [n, h, w, c = 1] = file.idx.dims as [number, number, number, number?];
    const per = h * w * c;
    for (let s = 0; s < n && count < total; s++, count++) {
      const src: ByteImage = { height: h, width: w, channels: c, data: file.idx.data.subarray(s * per, (s + 1) * per) };
      const img = resizeImage(toChannels(src, o.channels), o.height, o.width);
      for (let j = 0; j < features; j++) x[count * features + j] = img.data[j]! / 255;
      const label = pairs[k] ? String(pairs[k]!.idx.data[s]) : n === 1 ? nameLabel(file.name) : undefined;
      if (label !== undefined) out.push(label);
    }
  }
  return { x, count, features, image: [o.height, o.width, o.channels], ...(out.length === count ? { labels: out } : {}) };
}

/** The label file that belongs to each image file (or none), checking that the counts agree. */
function pairLabels(images: ParsedFile[], labels: ParsedFile[], problems: DataFileError[]): (ParsedFile | undefined)[] {
  if (!labels.length) return images.map(() => undefined);
  const key = (name: string) => name.toLowerCase().replace(/\.gz$/, '').replace(/labels?/g, '*').replace(/images?/g, '*').replace(/idx[0-9]/g, 'idx');
  const left = [...labels];
  const pairs = images.map((img) => {
    const j = left.findIndex((l) => key(l.name) === key(img.name));
    return j >= 0 ? left.splice(j, 1)[0] : undefined;
  });
  // Whatever names did not pair up, pair in upload order.
  pairs.forEach((p, i) => { if (!p && left.length) pairs[i] = left.shift(); });
  for (const extra of left) problems.push(new DataFileError(extra.name, 'is a label file with no image file to pair with'));
  pairs.forEach((l, i) => {
    const img = images[i]!;
    if (l && l.idx.dims[0] !== img.idx.dims[0]) {
      problems.push(new DataFileError(l.name, `has ${l.idx.dims[0]} labels but ${img.name} has ${img.idx.dims[0]} images: the counts must match`));
    }
  });
  if (labels.length && pairs.some((p) => !p)) {
    for (const [i, p] of pairs.entries()) if (!p) problems.push(new DataFileError(images[i]!.name, 'has no label file while other image files do: label all or none'));
  }
  return pairs;
}

/** "cats/01.png" → "cats" (the folder names the class, as in most image datasets); "smile.png" → "smile". */
function nameLabel(name: string): string {
  const parts = name.split('/').filter(Boolean);
  if (parts.length > 1) return parts[parts.length - 2]!;
  return (parts[0] ?? name).replace(/\.[^.]+$/, '');
}
