import type { ParamSpec, ParamValue } from './params';
import type { SocketSpec } from './sockets';
import type { InferResult, Shape } from './shapes';

export type Category = 'dataset' | 'noise' | 'network' | 'latent' | 'loss' | 'train' | 'metric' | 'infer' | 'view' | 'note';
export const categories: readonly Category[] = ['dataset', 'noise', 'network', 'latent', 'loss', 'train', 'metric', 'infer', 'view', 'note'];

export type Params = Record<string, ParamValue>;
/** A pure, named step that upgrades a node's params from one kindVersion to the next. */
export type ParamsMigration = (params: Readonly<Record<string, unknown>>) => Record<string, unknown>;

/**
 * What the graph layer needs to know about a node kind: plain data plus pure functions. `V` is how the
 * kind's own code sees its params (`ParamsOf` its declarations, through `defineNode`); everyone else
 * sees `Params`. The functions are methods, so a kind with typed params still is a `KindSpec`.
 */
export interface KindSpec<V = Params> {
  kind: string;
  version: number;
  title: string;
  category: Category;
  description?: string;
  inputs: Record<string, SocketSpec>;
  outputs: Record<string, SocketSpec>;
  params: Record<string, ParamSpec>;
  /** `migrations[n]` turns params of kindVersion n into kindVersion n + 1. */
  migrations?: Record<number, ParamsMigration>;
  /** Output shapes from input shapes; absent inputs are undefined. Pure. */
  infer?(inputs: Record<string, Shape | undefined>, params: V): InferResult;
  /** At most one node of a kind with this role may be in a graph. */
  singleton?: boolean;
  /** The title a node shows in the editor when it depends on its params (a comment shows its text). */
  label?(params: V): string;
  /** The key params in a few words, shown on the node's face under its title ("tanh 64 → 32"). */
  summary?(params: V): string;
}

/** A lookup of kinds by id. */
export interface Catalog {
  get(kind: string): KindSpec | undefined;
  all(): readonly KindSpec[];
}

/** A catalog of a richer kind type (e.g. node kinds with their tensor behaviour). */
export interface TypedCatalog<K extends KindSpec> extends Catalog {
  get(kind: string): K | undefined;
  all(): readonly K[];
}

/** Builds a catalog from an explicit list; ids must be unique. */
export function makeCatalog<K extends KindSpec>(kinds: readonly K[]): TypedCatalog<K> {
  const byId = new Map<string, K>();
  for (const k of kinds) {
    if (byId.has(k.kind)) throw new Error(`node kind ${k.kind} is listed twice`);
    byId.set(k.kind, k);
  }
  return { get: (kind) => byId.get(kind), all: () => kinds };
}
