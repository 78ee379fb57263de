import { gunzipBounded } from '../src/lib/inflate';
import { DataFileError } from './data-error';

/** An IDX array: its dimensions (the first is the sample count) and its unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** What a caller expects a file to hold: images ([n, h, w] or [n, h, w, c]) or labels ([n]). */
export type IdxExpect = 'images' | 'labels' | 'any';

/** Uncompressed files larger than this are refused before anything is allocated. */
export const maxIdxBytes = 256 * 1024 * 1024;

const elementTypes: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** Files people drop by mistake, recognised by their first bytes so the message can say what they are. */
const otherFormats: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive'],
  [[0x52, 0x49, 0x46, 0x46], 'a RIFF (WebP?) file'],
];

/** True for gzip data (magic 1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes an IDX file promises (header and data) once `head` holds its header; undefined before. */
function promisedBytes(head: Uint8Array): { dims: number[]; header: number; size: number } | undefined {
  if (head.length < 4) return undefined;
  const ndims = head[3]!;
  const header = 4 + 4 * ndims;
  if (head.length < header) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, header);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  return { dims, header, size: dims.reduce((a, b) => a * b, 1) };
}

const tooManyValues = (dims: number[]) => `claims ${dims.join('×')} values, more than the ${maxIdxBytes} allowed`;

/**
 * Unzips gzip data as it comes, never past what the IDX header inside promises (nor `maxIdxBytes`):
 * the gzip trailer's size wraps at 4 GiB, so it is not trusted. A CRC mismatch is refused.
 */
export function gunzip(bytes: Uint8Array, file: string, check?: DimsCheck): Uint8Array {
  const idxMagic = (head: Uint8Array) => head[0] === 0 && head[1] === 0 && head[2] === 0x08 && head[3]! >= 1 && head[3]! <= 4;
  const r = gunzipBounded(bytes, (head) => {
    if (head.length >= 4 && !idxMagic(head)) return 0; // not IDX inside: parseIdx says what it is
    const p = promisedBytes(head);
    // Stop at once when the header asks for too much; else at exactly what it promises.
    return p === undefined ? 4 + 4 * 4 + maxIdxBytes : p.size > maxIdxBytes || check?.(p.dims) ? 0 : p.header + p.size;
  });
  if (r.ok) return r.bytes;
  if (r.head.length >= 4 && !idxMagic(r.head)) return r.head;
  const p = promisedBytes(r.head);
  if (p && p.size > maxIdxBytes) throw new DataFileError(file, tooManyValues(p.dims));
  const refused = p && check?.(p.dims);
  if (refused) throw new DataFileError(file, refused);
  if (p) throw new DataFileError(file, `${r.message}: more than its sizes ${p.dims.join('×')} (${p.size} data bytes) allow`);
  throw new DataFileError(file, r.message);
}

/** A caller's own bound on the sizes (e.g. on image sides), checked before the data is inflated: a message refuses them. */
export type DimsCheck = (dims: readonly number[]) => string | undefined;

/**
 * Parses an IDX file (raw or gzip), strictly: the magic (two zero bytes, element type 0x08, number
 * of dimensions), big-endian sizes, and exactly as many data bytes as the sizes promise. Throws a
 * `DataFileError` naming `file` and what is wrong. The data is a view into the (unzipped) bytes.
 */
export function parseIdx(input: Uint8Array, file: string, expect: IdxExpect = 'any', check?: DimsCheck): IdxArray {
  const bytes = isGzip(input) ? gunzip(input, file, check) : input;
  if (bytes.length < 4) throw new DataFileError(file, `is truncated: ${bytes.length} bytes, not even the 4-byte IDX magic`);
  const magicHex = `0x${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const other = otherFormats.find(([sig]) => sig.every((b, i) => bytes[i] === b));
    throw new DataFileError(file, other
      ? `is ${other[1]}, not an IDX file${other[1].includes('image') ? ' (images are converted to IDX when uploaded; upload it through the image picker)' : ''}`
      : `has wrong magic ${magicHex}: an IDX file starts with 0x00 0x00, the element type and the number of dimensions`);
  }
  const type = bytes[2]!;
  const ndims = bytes[3]!;
  if (type !== 0x08) {
    throw new DataFileError(file, `has wrong magic ${magicHex}: element type 0x${type.toString(16).padStart(2, '0')} (${elementTypes[type] ?? 'unknown'}) is not supported, only unsigned bytes (0x08)`);
  }
  const wanted = expect === 'labels' ? [1] : expect === 'images' ? [3, 4] : [1, 2, 3, 4];
  if (!wanted.includes(ndims)) {
    const what = expect === 'labels' ? 'a label file (magic 0x00000801)' : expect === 'images' ? 'an image file (magic 0x00000803, or 0x00000804 with channels)' : 'an IDX file of 1 to 4 dimensions';
    throw new DataFileError(file, `has wrong magic ${magicHex} (${ndims} dimension${ndims === 1 ? '' : 's'}): expected ${what}`);
  }
  const header = 4 + 4 * ndims;
  if (bytes.length < header) throw new DataFileError(file, `is truncated: the header needs ${header} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, header);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  let size = 1;
  for (const [i, d] of dims.entries()) {
    if (d === 0) throw new DataFileError(file, `has size 0 in dimension ${i} (sizes ${dims.join('×')}): it holds no data`);
    size *= d;
    if (size > maxIdxBytes) throw new DataFileError(file, tooManyValues(dims));
  }
  const refused = check?.(dims);
  if (refused) throw new DataFileError(file, refused);
  const have = bytes.length - header;
  if (have < size) throw new DataFileError(file, `is truncated: sizes ${dims.join('×')} need ${size} data bytes after the ${header}-byte header, the file has ${have}`);
  if (have > size) throw new DataFileError(file, `has ${have - size} bytes more than its sizes ${dims.join('×')} (${size} data bytes) allow`);
  return { dims, data: bytes.subarray(header) };
}

/** Writes an IDX file of unsigned bytes (what the upload UI stores decoded images as). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`encodeIdx: sizes ${dims.join('×')} need ${size} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Checks that an image file and its label file describe the same number of samples. */
export function checkPair(images: IdxArray, imagesFile: string, labels: IdxArray, labelsFile: string): void {
  if (images.dims[0] !== labels.dims[0]) {
    throw new DataFileError(labelsFile, `has ${labels.dims[0]} labels but ${imagesFile} has ${images.dims[0]} images: the counts must match`);
  }
}
