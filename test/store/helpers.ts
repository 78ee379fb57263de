/** Test helpers for the library database: unique names, raw IndexedDB fixtures. */
import { deleteLibrary } from '../../src/store/db';

let counter = 0;
const made: string[] = [];

/** A database name no other test uses; `cleanUp()` deletes them all. */
export function uniqueDbName(label: string): string {
  const name = `lf-test-${label}-${Date.now().toString(36)}-${counter++}`;
  made.push(name);
  return name;
}

export async function cleanUp(): Promise<void> {
  for (const name of made.splice(0)) await deleteLibrary(name);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Opens a database with raw IndexedDB at an exact version, running `upgrade` as its schema. */
export function rawOpen(name: string, version: number, upgrade?: (db: IDBDatabase, tx: IDBTransaction) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade?.(req.result, req.transaction!);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => { /* the test decides */ };
  });
}

/** Puts records into a raw database in one transaction. */
export async function rawPut(db: IDBDatabase, store: string, values: unknown[], keys?: IDBValidKey[]): Promise<void> {
  const tx = db.transaction(store, 'readwrite');
  values.forEach((v, i) => tx.objectStore(store).put(v, keys?.[i]));
  await new Promise<void>((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); });
}

export async function rawGetAll(db: IDBDatabase, store: string): Promise<unknown[]> {
  return request(db.transaction(store).objectStore(store).getAll());
}

/** Float32Arrays with every bit pattern we care about: negatives, subnormals, -0, NaN payloads, infinities. */
export function trickyFloats(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  const bits = new Uint32Array(out.buffer);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    bits[i] = s;
  }
  if (n > 4) { out[0] = -0; out[1] = Infinity; out[2] = 1e-45; bits[3] = 0x7fc00001; }
  return out;
}

/** The same tricky floats without NaN and ±Infinity (which bundles refuse), -0 and subnormals kept. */
export function finiteTrickyFloats(n: number, seed = 1): Float32Array {
  const out = trickyFloats(n, seed);
  for (let i = 0; i < n; i++) if (!Number.isFinite(out[i]!)) out[i] = i % 2 ? 1.5 : -2.25;
  return out;
}

export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}
