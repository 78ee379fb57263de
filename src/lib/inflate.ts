/**
 * Decompression with a ceiling, so a small hostile file cannot expand into gigabytes: bytes are
 * counted as they come and inflating stops at the ceiling. DOM-free (the dataset parsers use it).
 */
import { Inflate, Unzlib } from 'fflate';
import { errorMessage } from './error-message';

let crcTable: Uint32Array | null = null;
/** CRC-32 as PNG (and zip) define it. */
export function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

/**
 * Compressed input in slices sized so that each push inflates to about 64-256 KB: small (128
 * bytes) while the data expands like a bomb (~1032×), larger (up to 64 KB) for data that barely
 * compresses, so neither a bomb nor a big honest file makes one long push. `produced` is the count
 * of bytes inflated so far.
 */
export function* adaptiveSlices(data: Uint8Array, produced: () => number): Generator<[chunk: Uint8Array, final: boolean]> {
  let slice = 128;
  for (let i = 0; i < data.length;) {
    const before = produced();
    yield [data.subarray(i, i + slice), i + slice >= data.length];
    i += slice;
    const made = produced() - before;
    if (made < 64 * 1024 && slice < 65_536) slice *= 2;
    else if (made > 256 * 1024 && slice > 128) slice /= 2;
  }
}

/** Raw deflate (`zlib: false`) or zlib data, inflated to at most `max` bytes; null when damaged or bigger. */
export function inflateBounded(data: Uint8Array, max: number, zlib = false): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooBig = false;
  const onData = (chunk: Uint8Array) => {
    size += chunk.length;
    if (size > max) tooBig = true;
    else chunks.push(chunk);
  };
  const stream = zlib ? new Unzlib(onData) : new Inflate(onData);
  try {
    if (data.length === 0) stream.push(data, true);
    for (let i = 0; i < data.length && !tooBig; i += 4096) stream.push(data.subarray(i, i + 4096), i + 4096 >= data.length);
  } catch {
    return null;
  }
  if (tooBig) return null;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export type Gunzipped = { ok: true; bytes: Uint8Array } | { ok: false; message: string; head: Uint8Array };

/** How many leading bytes `gunzipBounded` shows its `limit` (enough for a file header). */
const headBytes = 64;

/**
 * Inflates gzip data (one member), never past `limit(head)` bytes, where `head` is the start of the
 * data inflated so far: a format can lower the ceiling to what its header promises. The trailer's
 * size is never trusted (it wraps at 4 GiB); its CRC-32 and size are checked against what came out.
 */
export function gunzipBounded(data: Uint8Array, limit: (head: Uint8Array) => number): Gunzipped {
  const bad = (message: string): Gunzipped => ({ ok: false, message, head: new Uint8Array(0) });
  if (data[0] !== 0x1f || data[1] !== 0x8b) return bad('is not gzip data');
  if (data.length < 18) return bad(`is a truncated gzip file (${data.length} bytes)`);
  if (data[2] !== 8) return bad(`is gzip data with unknown compression method ${data[2]}`);
  const flags = data[3]!;
  if (flags & 0xe0) return bad('is not valid gzip data (reserved header flags are set)');
  let at = 10;
  if (flags & 4) at += 2 + (data[at]! | (data[at + 1]! << 8));
  if (flags & 8) { while (at < data.length && data[at] !== 0) at++; at++; }
  if (flags & 16) { while (at < data.length && data[at] !== 0) at++; at++; }
  if (flags & 2) at += 2;
  if (at > data.length - 8) return bad('is a truncated gzip file (its header runs past its end)');
  const chunks: Uint8Array[] = [];
  let size = 0;
  let head = new Uint8Array(0);
  let max = limit(head);
  let over = false;
  let crc = 0xffffffff;
  const inflate = new Inflate((chunk) => {
    if (over) return;
    if (head.length < headBytes) {
      const more = new Uint8Array(Math.min(headBytes, head.length + chunk.length));
      more.set(head);
      more.set(chunk.subarray(0, more.length - head.length), head.length);
      head = more;
      max = limit(head);
    }
    if (size + chunk.length > max) { over = true; return; }
    crc = crc32(chunk, crc);
    chunks.push(chunk);
    size += chunk.length;
  });
  const body = data.subarray(at, data.length - 8);
  try {
    for (const [chunk, final] of adaptiveSlices(body, () => size)) {
      inflate.push(chunk, final);
      if (over) break;
    }
  } catch (e) {
    return bad(`is not valid gzip data (${errorMessage(e)})`);
  }
  if (over) return { ok: false, message: `inflates to more than ${max} bytes`, head };
  const trailer = new DataView(data.buffer, data.byteOffset + data.length - 8, 8);
  if (((crc ^ 0xffffffff) >>> 0) !== trailer.getUint32(0, true)) return bad('is damaged: its gzip checksum (CRC-32) does not match its contents');
  if ((size >>> 0) !== trailer.getUint32(4, true)) return bad('is damaged: its gzip trailer gives another size than its contents');
  const out = new Uint8Array(size);
  let to = 0;
  for (const c of chunks) { out.set(c, to); to += c.length; }
  return { ok: true, bytes: out };
}
