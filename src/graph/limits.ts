/** Bounds checked before anything is parsed further or allocated. */
export const limits = {
  /** Characters in a graph file. */
  fileChars: 2_000_000,
  nodes: 500,
  edges: 2_000,
  /** Nesting depth of any JSON value in the file. */
  depth: 32,
  /** Characters in any one string. */
  stringChars: 20_000,
  /** Items in any one array. */
  arrayItems: 10_000,
  /** Keys in any one object. */
  objectKeys: 1_000,
  /** Units in any one dense layer. */
  layerUnits: 4096,
  /** Trainable parameters in the whole graph (refused before any tensor is made). */
  totalParams: 50_000_000,
  /** Estimated activation memory of one training step, in bytes: refused above (see graph/memory.ts)... */
  activationBytes: 2 * 1024 ** 3,
  /** ...and warned about above. */
  activationBytesWarn: 512 * 1024 ** 2,
  /** Activations kept for the backward pass, as a multiple of the forward values (outputs, gradients, temporaries). */
  backwardFactor: 3,
} as const;
