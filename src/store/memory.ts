/** The library kept in memory only: same behaviour as the IndexedDB one, nothing survives the page. */
import type { Library, Tx } from './db';
import { messages, StoreError, toStoreError } from './errors';
import { storeNames, storeSpecs, type StoreName } from './schema';

type Table = Map<string, { key: IDBValidKey; value: unknown }>;

const keyString = (key: IDBValidKey): string => JSON.stringify(key instanceof Date ? key.getTime() : key);

function keyOf(store: StoreName, value: unknown, key: IDBValidKey | undefined): IDBValidKey {
  const path = storeSpecs[store].keyPath;
  if (path === null) {
    if (key === undefined) throw new DOMException(`a key is needed for ${store}`, 'DataError');
    return key;
  }
  const field = (name: string) => (value as Record<string, IDBValidKey>)[name]!;
  return Array.isArray(path) ? path.map(field) : field(path);
}

function compare(a: IDBValidKey, b: IDBValidKey): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i]!, b[i]!);
      if (c) return c;
    }
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A library in memory; `notice` says why it is not kept. */
export function memoryLibrary(name: string, notice: string): Library {
  let tables = new Map<StoreName, Table>(storeNames.map((s) => [s, new Map()]));
  let closed = false;

  const makeTx = (view: Map<StoreName, Table>, writable: boolean): Tx => {
    const table = (store: StoreName) => {
      const t = view.get(store);
      if (!t) throw new DOMException(`no store ${store} in this transaction`, 'NotFoundError');
      return t;
    };
    const sorted = (store: StoreName) => [...table(store).values()].sort((a, b) => compare(a.key, b.key));
    return {
      get: async (store, key) => structuredClone(table(store).get(keyString(key))?.value) as never,
      getAll: async (store, index, key) => {
        let rows = sorted(store);
        if (index) {
          const field = storeSpecs[store].indexes[index];
          if (!field) throw new DOMException(`no index ${index} on ${store}`, 'NotFoundError');
          rows = rows
            .filter((r) => (r.value as Record<string, unknown>)[field] !== undefined)
            .filter((r) => key === undefined || keyString((r.value as Record<string, IDBValidKey>)[field]!) === keyString(key))
            .sort((a, b) => compare((a.value as Record<string, IDBValidKey>)[field]!, (b.value as Record<string, IDBValidKey>)[field]!));
        } else if (key !== undefined) {
          rows = rows.filter((r) => keyString(r.key) === keyString(key));
        }
        return rows.map((r) => structuredClone(r.value)) as never;
      },
      put: async (store, value, key) => {
        if (!writable) throw new DOMException('read-only transaction', 'ReadOnlyError');
        const k = keyOf(store, value, key);
        table(store).set(keyString(k), { key: k, value: structuredClone(value) });
      },
      delete: async (store, key) => {
        if (!writable) throw new DOMException('read-only transaction', 'ReadOnlyError');
        table(store).delete(keyString(key));
      },
    };
  };

  const check = () => {
    if (closed) throw new StoreError('closed', { severity: 'error', path: '', message: messages.closed });
  };

  return {
    name,
    persistent: false,
    notice,
    get closed() { return closed; },
    async read(stores, fn) {
      check();
      return fn(makeTx(new Map(stores.map((s) => [s, tables.get(s)!])), false));
    },
    async write(stores, fn) {
      check();
      // Work on copies and swap them in only when everything succeeded: all or nothing.
      const copies = new Map(stores.map((s) => [s, new Map(tables.get(s)!)]));
      let result;
      try {
        result = await fn(makeTx(copies, true));
      } catch (e) {
        throw toStoreError(e);
      }
      tables = new Map([...tables, ...copies]);
      return result;
    },
    close() { closed = true; },
  };
}
