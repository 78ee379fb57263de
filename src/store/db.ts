/**
 * The one IndexedDB database of latentflow (through `idb`), its upgrade ladder, and the in-memory
 * fallback used where the browser keeps nothing (private mode).
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { messages, StoreError, toStoreError } from './errors';
import { memoryLibrary } from './memory';
import type { StoreName } from './schema';

export const defaultDbName = 'latentflow';

type UpgradeDb = IDBPDatabase<unknown>;
type UpgradeTx = IDBPTransaction<unknown, string[], 'versionchange'>;
/** One named step of the ladder: turns a database at version n - 1 into version n. */
export type UpgradeStep = (db: UpgradeDb, tx: UpgradeTx) => void | Promise<void>;

/** Version 1: graphs, weights per graph + structure hash, checkpoints per run, settings. */
export function upgradeToV1(db: UpgradeDb): void {
  db.createObjectStore('graphs', { keyPath: 'id' });
  db.createObjectStore('weights', { keyPath: ['graphId', 'structureHash'] });
  const checkpoints = db.createObjectStore('checkpoints', { keyPath: ['runId', 'step'] });
  checkpoints.createIndex('byGraph', 'graphId');
  db.createObjectStore('settings');
}

/**
 * Version 2: the library list and search (graphs by update time, a lowercase `search` text on every
 * graph, filled in for existing ones), run history, a trash for undoing deletes, tfjs model artifacts.
 */
export async function upgradeToV2(db: UpgradeDb, tx: UpgradeTx): Promise<void> {
  const graphs = tx.objectStore('graphs');
  graphs.createIndex('byUpdated', 'updated');
  tx.objectStore('weights').createIndex('byGraph', 'graphId');
  db.createObjectStore('runs', { keyPath: 'id' }).createIndex('byGraph', 'graphId');
  db.createObjectStore('trash', { keyPath: 'id' });
  db.createObjectStore('models');
  let cursor = await graphs.openCursor();
  while (cursor) {
    const record = cursor.value as { title?: string; text?: string; search?: string };
    if (record.search === undefined) await cursor.update({ ...record, search: searchTextOf(record.title, record.text) });
    cursor = await cursor.continue();
  }
}

/** `upgradeSteps[n - 1]` upgrades version n - 1 to n; the current version is the ladder's length. */
export const upgradeSteps: readonly UpgradeStep[] = [upgradeToV1, upgradeToV2];
export const currentDbVersion = upgradeSteps.length;

/** The lowercase text the library search looks in: title and description. */
export function searchTextOf(title: string | undefined, docText: string | undefined): string {
  let description = '';
  try {
    const meta = (JSON.parse(docText ?? '{}') as { meta?: { description?: unknown } }).meta;
    if (typeof meta?.description === 'string') description = meta.description;
  } catch {
    // an unreadable document still gets its title searched
  }
  return `${title ?? ''}\n${description}`.toLowerCase();
}

/** Reads and writes inside one transaction; every method only touches IndexedDB (no other awaits). */
export interface Tx {
  get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined>;
  /** All records of a store, or those whose `index` equals `key`. */
  getAll<T>(store: StoreName, index?: string, key?: IDBValidKey): Promise<T[]>;
  put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<void>;
  delete(store: StoreName, key: IDBValidKey): Promise<void>;
}

/** The library database, on IndexedDB or in memory. */
export interface Library {
  readonly name: string;
  /** False when nothing survives closing the page: show a banner. */
  readonly persistent: boolean;
  /** Why the library is not persistent, when it is not. */
  readonly notice?: string;
  readonly closed: boolean;
  read<T>(stores: StoreName[], fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** All or nothing: when fn or the commit fails, nothing is written; throws a StoreError. */
  write<T>(stores: StoreName[], fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): void;
}

export interface OpenOptions {
  name?: string;
  /** null: act as if the browser had no IndexedDB (private mode); for tests and a "don't keep anything" choice. */
  indexedDB?: null;
  /** Called when this connection was closed so another tab can upgrade, or the browser ended it. */
  onClosed?: (reason: 'newer-version' | 'terminated') => void;
  /** How long to wait for IndexedDB to answer the open before working in memory (default 5000 ms). */
  openTimeoutMs?: number;
}

/** How long an open may take before the library falls back to memory: a stuck IndexedDB never answers. */
export const defaultOpenTimeoutMs = 5000;

/**
 * Opens the library at the current version, upgrading older databases step by step.
 * Rejects with a StoreError `blocked` when another tab holds an older version open, and
 * `newer-database` when a newer latentflow already upgraded it. Falls back to memory when
 * the browser offers no IndexedDB.
 */
export async function openLibrary(options: OpenOptions = {}): Promise<Library> {
  const name = options.name ?? defaultDbName;
  const factory = options.indexedDB === null ? undefined : (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) return memoryLibrary(name, messages.noStorage);
  const state = { closed: false };
  let db: IDBPDatabase<unknown>;
  try {
    const opening = openWithLadder(name, options, state);
    const timeoutMs = options.openTimeoutMs ?? defaultOpenTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), timeoutMs); });
    const first = await Promise.race([opening, late]).finally(() => clearTimeout(timer));
    if (!first) {
      // An open that answers after all is let go: this page works in memory until it is reloaded.
      opening.then((late) => late.close(), () => { /* nothing to let go */ });
      return memoryLibrary(name, messages.noAnswer(timeoutMs));
    }
    db = first;
  } catch (e) {
    if (e instanceof StoreError) throw e;
    if ((e as { name?: string }).name === 'VersionError') {
      throw new StoreError('newer-database', { severity: 'error', path: '', message: messages.newerDatabase }, e);
    }
    // Some browsers refuse IndexedDB in private mode at open time.
    return memoryLibrary(name, messages.noStorage);
  }
  return idbLibrary(name, db, state);
}

function openWithLadder(name: string, options: OpenOptions, state: { closed: boolean }): Promise<IDBPDatabase<unknown>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let library: IDBPDatabase<unknown> | null = null;
    const opening = openDB(name, currentDbVersion, {
      upgrade(db, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < currentDbVersion; v++) {
          const step = upgradeSteps[v]!;
          const done = step(db, tx as unknown as UpgradeTx);
          if (done instanceof Promise) {
            done.catch((e) => {
              try { tx.abort(); } catch { /* already finished */ }
              if (!settled) { settled = true; reject(toStoreError(e)); }
            });
          }
        }
      },
      blocked() {
        if (!settled) {
          settled = true;
          reject(new StoreError('blocked', { severity: 'error', path: '', message: messages.blocked }));
        }
      },
      blocking() {
        state.closed = true;
        library?.close();
        options.onClosed?.('newer-version');
      },
      terminated() {
        state.closed = true;
        options.onClosed?.('terminated');
      },
    });
    opening.then(
      (db) => {
        library = db;
        // A late success after we already reported "blocked": let go of it, the user will reload.
        if (settled) { db.close(); return; }
        settled = true;
        resolve(db);
      },
      (e) => { if (!settled) { settled = true; reject(e); } },
    );
  });
}

function idbLibrary(name: string, db: IDBPDatabase<unknown>, state: { closed: boolean }): Library {
  const makeTx = (tx: IDBPTransaction<unknown, string[], 'readonly' | 'readwrite'>): Tx => ({
    get: async (store, key) => (await tx.objectStore(store).get(key)) as never,
    getAll: async (store, index, key) => {
      const os = tx.objectStore(store);
      return (index ? await os.index(index).getAll(key) : await os.getAll(key)) as never;
    },
    put: async (store, value, key) => { await tx.objectStore(store).put!(value, key); },
    delete: async (store, key) => { await tx.objectStore(store).delete!(key); },
  });
  const run = async <T>(mode: 'readonly' | 'readwrite', stores: StoreName[], fn: (tx: Tx) => Promise<T>): Promise<T> => {
    if (state.closed) throw new StoreError('closed', { severity: 'error', path: '', message: messages.closed });
    let tx: IDBPTransaction<unknown, string[], 'readonly' | 'readwrite'>;
    try {
      tx = db.transaction(stores, mode);
    } catch (e) {
      throw toStoreError(e);
    }
    tx.done.catch(() => { /* reported through fn or the await below */ });
    try {
      const result = await fn(makeTx(tx));
      await tx.done;
      return result;
    } catch (e) {
      try { tx.abort(); } catch { /* already finished */ }
      throw toStoreError(e);
    }
  };
  return {
    name,
    persistent: true,
    get closed() { return state.closed; },
    read: (stores, fn) => run('readonly', stores, fn),
    write: (stores, fn) => run('readwrite', stores, fn),
    close() { state.closed = true; db.close(); },
  };
}

/** Deletes a library database (tests, "reset everything"). */
export async function deleteLibrary(name: string): Promise<void> {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory) return;
  await new Promise<void>((resolve, reject) => {
    const req = factory.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}
