/** PNG images that carry their graph: an iTXt chunk with keyword `latentflow-graph` before IEND. */
import { strFromU8, strToU8, zlibSync } from 'fflate';
import { refuse, type Outcome } from './errors';
import { crc32, inflateBounded } from '../lib/inflate';

export { crc32 };

export const pngGraphKeyword = 'latentflow-graph';
const signature = [137, 80, 78, 71, 13, 10, 26, 10];
const maxGraphText = 4 * 1024 * 1024;

interface Chunk { type: string; typeBytes: Uint8Array; start: number; end: number; data: Uint8Array; crc: number }

/**
 * More chunks than this is not an image to open (an encoder splitting 300 MB of pixels in 8 KB
 * IDAT chunks makes ~37,000): a file of millions of empty chunks is refused after this many,
 * so reading any PNG is a bounded amount of work.
 */
export const maxPngChunks = 100_000;

const iTXt = 0x69545874;
const IEND = 0x49454e44;

/**
 * Where each chunk of a PNG starts (IEND last), or why the bytes are not a well-formed PNG. One
 * cheap pass, no allocation per chunk; checksums are checked where a chunk is used.
 */
function chunkStarts(png: Uint8Array): number[] | 'damaged' | 'too many chunks' {
  if (png.length < 8 || signature.some((b, i) => png[i] !== b)) return 'damaged';
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: number[] = [];
  let at = 8;
  while (at + 12 <= png.length) {
    if (out.length >= maxPngChunks) return 'too many chunks';
    const length = view.getUint32(at);
    if (at + 12 + length > png.length) return 'damaged';
    out.push(at);
    if (view.getUint32(at + 4) === IEND) return out;
    at += 12 + length;
  }
  return 'damaged';
}

function chunkAt(png: Uint8Array, at: number): Chunk {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const length = view.getUint32(at);
  const typeBytes = png.subarray(at + 4, at + 8);
  return { type: String.fromCharCode(...typeBytes), typeBytes, start: at, end: at + 12 + length, data: png.subarray(at + 8, at + 8 + length), crc: view.getUint32(at + 8 + length) };
}

/** The chunks of a PNG (few in the images latentflow writes), or why there are none. */
function chunksOf(png: Uint8Array): Chunk[] | 'damaged' | 'too many chunks' {
  const starts = chunkStarts(png);
  return typeof starts === 'string' ? starts : starts.map((at) => chunkAt(png, at));
}

const crcOk = (c: Chunk) => ((crc32(c.data, crc32(c.typeBytes)) ^ 0xffffffff) >>> 0) === c.crc;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typeBytes = strToU8(type);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, (crc32(data, crc32(typeBytes)) ^ 0xffffffff) >>> 0);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const isGraphChunk = (c: Chunk) => c.type === 'iTXt' && strFromU8(c.data.subarray(0, pngGraphKeyword.length + 1), true) === `${pngGraphKeyword}\0`;

/** The PNG with the graph file embedded (compressed iTXt), replacing one embedded before. */
export function embedGraphInPng(png: Uint8Array, graphText: string): Outcome<Uint8Array> {
  const chunks = chunksOf(png);
  if (chunks === 'damaged') return refuse('this image is not a PNG, so the graph cannot be embedded in it');
  if (chunks === 'too many chunks') return refuse(`this image has more than ${maxPngChunks} chunks, so the graph is not embedded in it`);
  // iTXt: keyword \0, compressed 1, method 0 (zlib), language \0, translated keyword \0, text.
  const head = strToU8(`${pngGraphKeyword}\0\x01\x00\0\0`, true);
  const body = zlibSync(strToU8(graphText), { level: 9 });
  const ours = chunk('iTXt', concat([head, body]));
  const iend = chunks[chunks.length - 1]!;
  const kept = chunks.filter((c) => c !== iend && !isGraphChunk(c)).map((c) => png.subarray(c.start, c.end));
  return { ok: true, value: concat([png.subarray(0, 8), ...kept, ours, png.subarray(iend.start, iend.end)]) };
}

/** The graph file text embedded in a PNG, or a Problem when there is none. */
export function graphFromPng(png: Uint8Array): Outcome<string> {
  const starts = chunkStarts(png);
  if (starts === 'damaged') return refuse('this file is not a PNG image (or it is damaged)');
  if (starts === 'too many chunks') return refuse(`this image has more than ${maxPngChunks} chunks; it is not an image latentflow exported`);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const found = starts.filter((at) => view.getUint32(at + 4) === iTXt).map((at) => chunkAt(png, at)).find(isGraphChunk);
  if (!found) return refuse('this image holds no latentflow graph; only images exported from latentflow carry one');
  // Compressed or not, the graph chunk is not much bigger than the text it may hold.
  if (found.data.length > maxGraphText + 1024) return refuse('the graph in this image is too big to be a latentflow graph');
  if (!crcOk(found)) return refuse('the graph in this image is damaged (checksum mismatch)');
  const d = found.data;
  let at = pngGraphKeyword.length + 1;
  const compressed = d[at++] === 1;
  at++; // compression method
  const langEnd = d.indexOf(0, at);
  const transEnd = langEnd < 0 ? -1 : d.indexOf(0, langEnd + 1);
  if (transEnd < 0) return refuse('the graph in this image is damaged');
  const payload = d.subarray(transEnd + 1);
  const bytes = compressed ? inflateBounded(payload, maxGraphText, true) : payload;
  if (!bytes) return refuse('the graph in this image is damaged or too big to be a latentflow graph');
  if (bytes.length > maxGraphText) return refuse('the graph in this image is too big to be a latentflow graph');
  return { ok: true, value: strFromU8(bytes) };
}
