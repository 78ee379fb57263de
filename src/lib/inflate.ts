/**
 * Decompression with a ceiling, so a small hostile file cannot expand into gigabytes: bytes are
 * counted as they come and inflating stops at the ceiling. DOM-free (the dataset parsers use it).
 */
import { Gunzip, Inflate, Unzlib } from 'fflate';
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

/** Where the gzip member header at `start` ends (past the data's end when it is cut short). */
function headerEnd(data: Uint8Array, start: number): number {
  const flags = data[start + 3]!;
  let at = start + 10;
  if (flags & 4) at += 2 + (data[at]! | (data[at + 1]! << 8));
  if (flags & 8) { while (at < data.length && data[at] !== 0) at++; at++; }
  if (flags & 16) { while (at < data.length && data[at] !== 0) at++; at++; }
  if (flags & 2) at += 2;
  return at;
}

/**
 * Most gzip bytes in a row that may give no data: deflate gives a byte for at most two, so only a
 * member's header (a name or comment of megabytes, which fflate copies again at every slice: 50 MB
 * took 73 s) or a run of empty blocks reads longer without output.
 */
const maxIdleBytes = 1024 * 1024;

export type Gunzipped = { ok: true; bytes: Uint8Array } | { ok: false; message: string; head: Uint8Array };

/** How many leading bytes `gunzipBounded` shows its `limit` (enough for a file header). */
const headBytes = 64;

/**
 * Inflates gzip data, never past `limit(head)` bytes in all, where `head` is the start of the data
 * inflated so far: a format can lower the ceiling to what its header promises. A file may hold several
 * members (\`cat a.gz b.gz\`, bgzip): each member's CRC-32 and size are checked against what it gave
 * (its trailer's size wraps at 4 GiB, so it never sets a bound). One member once read the file's last
 * eight bytes as its trailer, so a second member made it "damaged: checksum mismatch" (issue 13).
 */
export function gunzipBounded(data: Uint8Array, limit: (head: Uint8Array) => number): Gunzipped {
  const bad = (message: string): Gunzipped => ({ ok: false, message, head: new Uint8Array(0) });
  if (data[0] !== 0x1f || data[1] !== 0x8b) return bad('is not gzip data');
  if (data.length < 18) return bad(`is a truncated gzip file (${data.length} bytes)`);
  if (data[2] !== 8) return bad(`is gzip data with unknown compression method ${data[2]}`);
  const flags = data[3]!;
  if (flags & 0xe0) return bad('is not valid gzip data (reserved header flags are set)');
  const at = headerEnd(data, 0);
  if (at > data.length - 8) return bad('is a truncated gzip file (its header runs past its end)');
  // fflate reads the stream from a plain 10-byte header in place of the first member's own (whose name
  // or comment may be megabytes: fflate would copy it again at every slice); `offset` maps back.
  const stream = new Uint8Array(10 + data.length - at);
  stream.set(data.subarray(0, 10));
  stream[3] = 0;
  stream.set(data.subarray(at), 10);
  const offset = at - 10;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let head = new Uint8Array(0);
  let max = limit(head);
  let over = false;
  // The member being read: where it starts, its CRC and size so far.
  let member = { start: 0, crc: 0xffffffff, size: 0 };
  let damaged: string | null = null;
  /** Checks the member that ends at `end` against its trailer (the 8 bytes before `end`), and starts the next. */
  const endMember = (end: number) => {
    if (damaged) return;
    const trailer = new DataView(data.buffer, data.byteOffset + end - 8, 8);
    if (end - 8 < member.start + 10) damaged = 'is a truncated gzip file (a member has no trailer)';
    else if (((member.crc ^ 0xffffffff) >>> 0) !== trailer.getUint32(0, true)) damaged = 'is damaged: its gzip checksum (CRC-32) does not match its contents';
    else if ((member.size >>> 0) !== trailer.getUint32(4, true)) damaged = 'is damaged: its gzip trailer gives another size than its contents';
    member = { start: end, crc: 0xffffffff, size: 0 };
  };
  const gunzip = new Gunzip((chunk) => {
    if (over || damaged) return;
    if (head.length < headBytes) {
      const more = new Uint8Array(Math.min(headBytes, head.length + chunk.length));
      more.set(head);
      more.set(chunk.subarray(0, more.length - head.length), head.length);
      head = more;
      max = limit(head);
    }
    if (size + chunk.length > max) { over = true; return; }
    member.crc = crc32(chunk, member.crc);
    member.size += chunk.length;
    chunks.push(chunk);
    size += chunk.length;
  });
  gunzip.onmember = (start) => endMember(start + offset); // where the next member starts, once the last one's data has come
  try {
    let idle = 0; // bytes read since data last came out
    for (const [chunk, final] of adaptiveSlices(stream, () => size)) {
      const before = size;
      gunzip.push(chunk, final);
      if (over || damaged) break;
      idle = size > before ? 0 : idle + chunk.length;
      if (idle > maxIdleBytes) return bad(`is not valid gzip data (more than ${maxIdleBytes} bytes of it give no data)`);
    }
  } catch (e) {
    return bad(`is not valid gzip data (${errorMessage(e)})`);
  }
  if (over) return { ok: false, message: `inflates to more than ${max} bytes`, head };
  endMember(data.length);
  if (damaged) return bad(damaged);
  const out = new Uint8Array(size);
  let to = 0;
  for (const c of chunks) { out.set(c, to); to += c.length; }
  return { ok: true, bytes: out };
}
