/** The few named kinds of value that flow along edges. */
export const socketTypes = ['dataset', 'batch', 'latent', 'model', 'loss', 'metrics'] as const;
export type SocketType = (typeof socketTypes)[number];

export interface SocketSpec {
  type: SocketType;
  label?: string;
  /** An input that may stay unconnected. */
  optional?: boolean;
  /** An input that takes several edges (e.g. a trainer's loss terms). */
  multi?: boolean;
}

/** Declares a socket. */
export function socket(type: SocketType, options: Omit<SocketSpec, 'type'> = {}): SocketSpec {
  return { type, ...options };
}

/** A dataset yields batches, so it may feed any batch input; otherwise types must match. */
export function canConnect(from: SocketType, to: SocketType): boolean {
  return from === to || (from === 'dataset' && to === 'batch');
}
