/** The stores of the library database, their keys and indexes: declared once, used by IndexedDB and the in-memory fallback. */
export const storeNames = ['graphs', 'weights', 'checkpoints', 'settings', 'runs', 'trash', 'models'] as const;
export type StoreName = (typeof storeNames)[number];

export interface StoreSpec {
  /** Where the key lives in a record; null: keys are given with each put. */
  keyPath: string | string[] | null;
  indexes: Record<string, string>;
}

/** The layout at the current database version. */
export const storeSpecs: Record<StoreName, StoreSpec> = {
  graphs: { keyPath: 'id', indexes: { byUpdated: 'updated' } },
  weights: { keyPath: ['graphId', 'structureHash'], indexes: { byGraph: 'graphId' } },
  checkpoints: { keyPath: ['runId', 'step'], indexes: { byGraph: 'graphId' } },
  settings: { keyPath: null, indexes: {} },
  runs: { keyPath: 'id', indexes: { byGraph: 'graphId' } },
  trash: { keyPath: 'id', indexes: {} },
  models: { keyPath: null, indexes: {} },
};
