/**
 * A zip reader for hostile files: it reads the central directory itself (refusing duplicate names,
 * encrypted, zip64 or split archives and entries whose local header disagrees), and inflates one
 * entry at a time with a ceiling set by the caller, counting bytes as they come: a part that
 * inflates to more (or less) than it declares is refused the moment it passes, never after. The
 * work is cut in slices with a yield between them, so the page stays responsive.
 */
import { Inflate } from 'fflate';
import { adaptiveSlices, crc32 } from '../lib/inflate';

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  /** What the archive says the entry inflates to (checked as it inflates). */
  size: number;
  /** Where the compressed data starts in the archive. */
  dataStart: number;
}

export type ZipOpen = { ok: true; entries: Map<string, ZipEntry> } | { ok: false; message: string };
export type ZipRead = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/** More entries than this is not an archive latentflow wrote. */
export const maxZipEntries = 64;
/** Work between two yields to the event loop, in ms: far under the 50 ms of a "long task", even on a busy machine. */
const sliceMs = 4;
/** Bytes checksummed per step. */
const crcSlice = 256 * 1024;

const damaged = 'it is not a zip file, or it is damaged';

/** Lets the event loop run (input, rendering) between slices of work: `scheduler.yield()` where there is one. */
export const yieldToLoop = (): Promise<void> => {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
};

/** The entries of a zip archive from its central directory, or why they cannot be trusted. */
export function openZip(bytes: Uint8Array): ZipOpen {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes.
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (view.getUint32(at, true) === 0x06054b50) { end = at; break; }
  }
  if (end < 0) return { ok: false, message: damaged };
  const disk = view.getUint16(end + 4, true);
  const count = view.getUint16(end + 10, true);
  const dirSize = view.getUint32(end + 12, true);
  const dirStart = view.getUint32(end + 16, true);
  if (disk !== 0 || view.getUint16(end + 8, true) !== count) return { ok: false, message: 'it is a split zip archive, which latentflow does not write' };
  if (count === 0xffff || dirStart === 0xffffffff) return { ok: false, message: 'it is a zip64 archive, which latentflow does not write' };
  if (count > maxZipEntries) return { ok: false, message: `it holds ${count} files; a latentflow model bundle holds 4` };
  if (dirStart + dirSize > end) return { ok: false, message: damaged };
  const entries = new Map<string, ZipEntry>();
  let at = dirStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) return { ok: false, message: damaged };
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > end) return { ok: false, message: damaged };
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const name = new TextDecoder().decode(nameBytes);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) return { ok: false, message: `"${name.slice(0, 64)}" in it is encrypted` };
    if (compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) return { ok: false, message: 'it is a zip64 archive, which latentflow does not write' };
    if (entries.has(name)) return { ok: false, message: `it holds "${name.slice(0, 64)}" more than once` };
    // The local header must name the same file, and its data must lie inside the archive.
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) return { ok: false, message: damaged };
    const localName = view.getUint16(local + 26, true);
    const dataStart = local + 30 + localName + view.getUint16(local + 28, true);
    if (localName !== nameLength || !nameBytes.every((b, k) => bytes[local + 30 + k] === b)) return { ok: false, message: damaged };
    if (dataStart + compressedSize > dirStart) return { ok: false, message: damaged };
    entries.set(name, { name, method, crc, compressedSize, size, dataStart });
  }
  return { ok: true, entries };
}

/**
 * Inflates one entry to exactly its declared size, refusing it as soon as it passes `max` or its
 * declared size, and when it ends short or its checksum does not match. Yields between slices.
 */
export async function readZipEntry(bytes: Uint8Array, entry: ZipEntry, max: number): Promise<ZipRead> {
  const label = `"${entry.name}"`;
  await yieldToLoop(); // each part starts in a task of its own
  if (entry.size > max) return { ok: false, message: `${label} declares ${entry.size} bytes, more than the ${max} it may have` };
  const data = bytes.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (data.length !== entry.size) return { ok: false, message: `${label} is damaged (stored with ${data.length} bytes, declared ${entry.size})` };
    out = data;
  } else if (entry.method === 8) {
    out = new Uint8Array(entry.size);
    let size = 0;
    let over = false;
    const inflate = new Inflate((chunk) => {
      if (over) return;
      if (size + chunk.length > entry.size) { over = true; return; }
      out.set(chunk, size);
      size += chunk.length;
    });
    let due = performance.now() + sliceMs;
    try {
      for (const [chunk, final] of adaptiveSlices(data, () => size)) {
        inflate.push(chunk, final);
        if (over) break;
        if (performance.now() > due) { await yieldToLoop(); due = performance.now() + sliceMs; }
      }
      if (data.length === 0) inflate.push(data, true);
    } catch {
      return { ok: false, message: `${label} is damaged (its compressed data is invalid)` };
    }
    if (over) return { ok: false, message: `${label} inflates to more than the ${entry.size} bytes it declares` };
    if (size !== entry.size) return { ok: false, message: `${label} inflates to ${size} bytes, not the ${entry.size} it declares` };
  } else {
    return { ok: false, message: `${label} uses compression method ${entry.method}, which latentflow does not write` };
  }
  let crc = 0xffffffff;
  let crcDue = performance.now() + sliceMs;
  for (let i = 0; i < out.length; i += crcSlice) {
    crc = crc32(out.subarray(i, i + crcSlice), crc);
    if (performance.now() > crcDue) { await yieldToLoop(); crcDue = performance.now() + sliceMs; }
  }
  if (((crc ^ 0xffffffff) >>> 0) !== entry.crc) return { ok: false, message: `${label} is damaged (checksum mismatch)` };
  return { ok: true, bytes: out };
}
