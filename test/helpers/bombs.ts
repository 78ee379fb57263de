/**
 * Decompression bombs built by hand, in milliseconds: raw deflate streams of any number of zero
 * bytes at ~1032:1 (one dynamic-Huffman block where "copy 258 bytes at distance 1" costs 2 bits),
 * zip archives whose headers declare whatever a test wants, gzip files, and PNGs of many chunks.
 */
import { strToU8, zlibSync } from 'fflate';
import { crc32 } from '../../src/lib/inflate';

/** LSB-first bit writer, as deflate packs bits. */
class Bits {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  put(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) { this.bytes.push(this.acc); this.acc = 0; this.n = 0; }
    }
  }
  /** A Huffman code: most significant bit first. */
  code(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.put((code >>> i) & 1, 1);
  }
  get aligned(): boolean { return this.n === 0; }
  done(): Uint8Array {
    if (this.n) this.bytes.push(this.acc);
    return Uint8Array.from(this.bytes);
  }
}

/** A raw deflate stream that inflates to `size` zero bytes (size ≥ 1). */
export function deflatedZeros(size: number): Uint8Array {
  const head = new Bits();
  head.put(1, 1); // final block
  head.put(2, 2); // dynamic Huffman
  head.put(29, 5); // 286 literal/length codes
  head.put(0, 5); // 1 distance code
  head.put(14, 4); // 18 code-length codes
  // Code-length code lengths in their odd order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: only 0, 1, 2 and 18, 2 bits each.
  for (const sym of [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]) head.put([0, 1, 2, 18].includes(sym) ? 2 : 0, 3);
  const cl = (sym: number) => head.code({ 0: 0, 1: 1, 2: 2, 18: 3 }[sym]!, 2);
  const zeros = (n: number) => { cl(18); head.put(n - 11, 7); };
  // Literal/length lengths: 0 → 2, 1..255 → 0, 256 (end) → 2, 257..284 → 0, 285 (copy 258) → 1.
  cl(2); zeros(138); zeros(117); cl(2); zeros(28); cl(1);
  cl(1); // the one distance code (distance 1), 1 bit
  // Canonical codes: 285 → 0, literal 0 → 10, end → 11; distance 1 → 0.
  head.code(0b10, 2); // one literal zero, then copies of 258 bytes at distance 1 (bits 0 0)
  let copies = Math.floor((size - 1) / 258);
  const rest = (size - 1) % 258;
  while (copies > 0 && !head.aligned) { head.put(0, 2); copies--; }
  if (!head.aligned) { // too small to have reached a byte boundary: finish bit by bit
    for (let i = 0; i < rest; i++) head.code(0b10, 2);
    head.code(0b11, 2);
    return head.done();
  }
  const start = head.done();
  // Now byte-aligned (2-bit steps from an even offset): 4 copies per zero byte.
  const bodyBytes = Math.floor(copies / 4);
  const tail = new Bits();
  for (let i = 0; i < (copies % 4); i++) tail.put(0, 2);
  for (let i = 0; i < rest; i++) tail.code(0b10, 2);
  tail.code(0b11, 2);
  const end = tail.done();
  const out = new Uint8Array(start.length + bodyBytes + end.length);
  out.set(start, 0);
  out.set(end, start.length + bodyBytes);
  return out;
}

/** A raw deflate stream of `prefix` (one stored block) followed by `zeros` zero bytes. */
export function deflatedAfter(prefix: Uint8Array, zeros: number): Uint8Array {
  const rest = deflatedZeros(zeros);
  const out = new Uint8Array(5 + prefix.length + rest.length);
  const v = new DataView(out.buffer);
  out[0] = 0; // not final, stored; the rest of the byte is padding
  v.setUint16(1, prefix.length, true);
  v.setUint16(3, ~prefix.length & 0xffff, true);
  out.set(prefix, 5);
  out.set(rest, 5 + prefix.length);
  return out;
}

export interface ZipPart {
  name: string;
  /** Raw deflate data (method 8) or stored bytes (method 0). */
  data: Uint8Array;
  method?: 0 | 8;
  /** What the headers declare the part inflates to. */
  size: number;
  crc?: number;
}

/** A zip archive of the given parts, with exactly the sizes and checksums they declare. */
export function zipOf(parts: ZipPart[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = strToU8(p.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, p.method ?? 8, true);
    lv.setUint32(14, p.crc ?? 0, true);
    lv.setUint32(18, p.data.length, true);
    lv.setUint32(22, p.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const dir = new Uint8Array(46 + name.length);
    const dv = new DataView(dir.buffer);
    dv.setUint32(0, 0x02014b50, true);
    dv.setUint16(4, 20, true);
    dv.setUint16(6, 20, true);
    dv.setUint16(10, p.method ?? 8, true);
    dv.setUint32(16, p.crc ?? 0, true);
    dv.setUint32(20, p.data.length, true);
    dv.setUint32(24, p.size, true);
    dv.setUint16(28, name.length, true);
    dv.setUint32(42, offset, true);
    dir.set(name, 46);
    chunks.push(local, p.data);
    central.push(dir);
    offset += local.length + p.data.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, parts.length, true);
  ev.setUint16(10, parts.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) { out.set(c, at); at += c.length; }
  return out;
}

/** A part holding `size` zero bytes, declared honestly (the checksum of zeros is not computed). */
export const zeroPart = (name: string, size: number): ZipPart => ({ name, data: deflatedZeros(size), size });

/** A real part: its bytes stored, its checksum right. */
export const storedPart = (name: string, bytes: Uint8Array): ZipPart => ({ name, data: bytes, method: 0, size: bytes.length, crc: (crc32(bytes) ^ 0xffffffff) >>> 0 });

export const MiB = 1024 * 1024;

/** The bundle bombs, around a real graph file text. */
export function bundleBombs(graphText: string): Record<'fourParts' | 'duplicates' | 'lyingWeights', Uint8Array> {
  const manifest = (bytes: number) => strToU8(JSON.stringify({ format: 'latentflow/weights', version: 1, tensors: [{ node: 'enc', name: 'k', dtype: 'float32', shape: [bytes / 4], offset: 0, length: bytes }] }));
  const graph = storedPart('graph.json', strToU8(graphText));
  return {
    // Four parts of 500 MiB each, declared honestly: 2 MB on disk.
    fourParts: zipOf(['graph.json', 'weights.json', 'weights.bin', 'metrics.json'].map((n) => zeroPart(n, 500 * MiB))),
    // A sound bundle, then weights.bin nineteen more times (100 MiB each).
    duplicates: zipOf([graph, storedPart('weights.json', manifest(8)), storedPart('weights.bin', new Uint8Array(8)), ...Array.from({ length: 19 }, () => zeroPart('weights.bin', 100 * MiB))]),
    // weights.bin declares 8 bytes (as its manifest does) and inflates to 1 GiB.
    lyingWeights: zipOf([graph, storedPart('weights.json', manifest(8)), { ...zeroPart('weights.bin', 1024 * MiB), size: 8 }]),
  };
}

/** A gzip file around a raw deflate stream, with the trailer's checksum and ISIZE as given. */
export function gzipOf(deflated: Uint8Array, crc: number, isize: number): Uint8Array {
  const out = new Uint8Array(10 + deflated.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3], 0);
  out.set(deflated, 10);
  const v = new DataView(out.buffer);
  v.setUint32(10 + deflated.length, crc >>> 0, true);
  v.setUint32(14 + deflated.length, isize >>> 0, true);
  return out;
}

/** A PNG signature, an IHDR, `count` empty chunks of type `type`, and IEND (12 bytes per chunk). */
export function pngOfChunks(count: number, type = 'tEXt'): Uint8Array {
  const chunk = (t: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, data.length);
    out.set(strToU8(t), 4);
    out.set(data, 8);
    v.setUint32(8 + data.length, (crc32(data, crc32(strToU8(t))) ^ 0xffffffff) >>> 0);
    return out;
  };
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, 1);
  new DataView(ihdr.buffer).setUint32(4, 1);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const empty = chunk(type, new Uint8Array(0));
  const idat = chunk('IDAT', zlibSync(new Uint8Array(5)));
  const head = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), idat];
  const end = chunk('IEND', new Uint8Array(0));
  const size = head.reduce((n, c) => n + c.length, 0) + count * 12 + end.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of head) { out.set(c, at); at += c.length; }
  for (let i = 0; i < count; i++, at += 12) out.set(empty, at);
  out.set(end, at);
  return out;
}
