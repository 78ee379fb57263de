/** Decompression with a ceiling, so a small hostile file cannot expand into gigabytes. */
import { Inflate, Unzlib } from 'fflate';

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
