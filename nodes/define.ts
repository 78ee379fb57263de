import type * as tf from '@tensorflow/tfjs';
import type { Json, KindSpec, ParamSpec, Params, ParamsOf, Shape, ImageShape } from '../src/graph';
import type { PytorchForm } from './pytorch';

export { socket } from '../src/graph';
export { number, int, intList, numberList, choice, choiceList, bool, string, optional } from '../src/graph';

/** A batch: [n, d] samples on the way through the network. */
export type BatchValue = tf.Tensor2D;
/** A latent code; a gaussian sampler also gives its mean and log-variance. */
export interface LatentValue { z: tf.Tensor2D; mean?: tf.Tensor2D; logVar?: tf.Tensor2D }
/** One scalar loss term; the trainer sums the terms and reports each by its node id. */
export interface LossValue { loss: tf.Scalar }
/** A trainable sub-network used as a function (a decoder turning codes into images). */
export interface ModelValue { apply(z: tf.Tensor2D, mode: StepMode): tf.Tensor2D; inputs: number; outputs: number; image?: ImageShape }
export type Value = BatchValue | LatentValue | LossValue | ModelValue;

/** What a node gets when the runtime builds it (once per plan). */
export interface BuildContext<V = Params> {
  nodeId: string;
  params: V;
  inputs: Record<string, Shape | undefined>;
  outputs: Record<string, Shape>;
  /** Derived from the run seed and the node id: use it (and offsets of it) for weight init. */
  seed: number;
}

/** How a forward pass is used: see StepContext.mode. */
export type StepMode = 'train' | 'test' | 'eval';

/** What a node gets at every step (training) or evaluation. */
export interface StepContext<V = Params> {
  /** Current values, live params included: read them here, never cache them at build time. */
  params: V;
  /**
   * train: a training step. test: the loss on held-out samples, computed as in training (noise,
   * sampling) but with dropout off and no gradient. eval: views and inference (a VAE uses its mean).
   */
  mode: StepMode;
  epoch: number;
  step: number;
  /** Fresh for this node at this step (noise, sampling). */
  seed: number;
  /** The same for this node for a whole epoch (a level drawn once per epoch). */
  epochSeed: number;
}

/** A built node: its weights and its tensor behaviour. `forward` runs inside tf.tidy / minimize. */
export interface NodeInstance<V = Params> {
  /** Named trainable weights, e.g. `dense0/kernel`. */
  variables: Record<string, tf.Variable>;
  forward(inputs: Record<string, Value | undefined>, ctx: StepContext<V>): Record<string, Value>;
  /** Named intermediate activations of the last forward (for sparsity on a chosen layer). */
  dispose(): void;
}

/** Samples of a dataset, in memory, as float pixels in [0, 1]. */
export interface DatasetData {
  x: Float32Array;
  count: number;
  features: number;
  image: ImageShape;
  /** A short label per sample (the character, the digit, the emoji name). */
  labels?: string[];
}

/** How a dataset reaches its bytes: from disk in Node, from the server in the browser. */
export interface DataIO {
  /** Reads a file the project ships (path relative to public/, e.g. `datasets/font-7x5.json`). */
  readAsset(path: string): Promise<Uint8Array>;
  /** Reads a file the user uploaded, by the key the upload stored it under. */
  readUpload?(key: string): Promise<Uint8Array[]>;
}

export interface EvalContext<V = Params> extends StepContext<V> {
  labels?: string[];
  /** The evaluated samples the trainer held out of training (its test split), ascending; absent without one. */
  heldOut?: readonly number[];
  /** The shapes arriving at the node's inputs (an image's layout, for a view that draws samples). */
  inputShapes?: Record<string, Shape | undefined>;
  /** The evaluated samples the inputs hold when the kind picked some (`evalRows`), in its order; absent: every one. */
  rows?: readonly number[];
}

/** A node kind: its declaration (plain data, used by editor and validator) plus its behaviour. */
export interface NodeKind<V = Params> extends KindSpec<V> {
  /** Chain nodes (noise, networks, samplers, losses) build weights and run inside the step. */
  build?(ctx: BuildContext<V>): NodeInstance<V>;
  /** Dataset nodes load their samples; the runtime batches and shuffles them. */
  load?(params: V, io: DataIO): Promise<DatasetData>;
  /** Metric and inference nodes turn evaluated inputs into plain data for the views. */
  evaluate?(inputs: Record<string, Value | undefined>, ctx: EvalContext<V>): Promise<Json>;
  /**
   * The evaluated samples `evaluate` reads (an interpolation's two ends), by index: the chain upstream then
   * runs on those alone, not on every sample (10,000 MNIST images encoded for two). Rows past the
   * samples there are leave the chain on every sample, for `evaluate` to say what is wrong.
   */
  evalRows?(params: V): number[];
  /** How the kind reads in an exported PyTorch project (nodes/pytorch.ts); kinds without one are not exported. */
  pytorch?: PytorchForm<V>;
  /** How the kind trains several seeds in one program (src/runtime/seed-batch.ts); without it a seed comparison runs seeds one after another. */
  seeds?: SeedsForm<V>;
}

/**
 * Seed batching: S seeds of one graph trained as one program. Every value then carries the seed first:
 * a batch is [S, n, d], a latent's tensors [S, n, d], a loss term [S] (each seed's own loss). Each seed
 * computes what a lone run with that seed would (the same weight initialisation and random draws).
 * - `stacked`: the kind's own forward works on seed-stacked values as they are and draws nothing random
 *   (a loss that reduces over the last two axes only).
 * - `per-seed`: weightless but random (noise): the forward runs on each seed's slice with that seed's step context.
 * - an object: weights stacked per seed, built by `build`; `refuse` says why some params are not batched yet.
 */
export type SeedsForm<V = Params> = 'stacked' | 'per-seed' | {
  refuse?(params: V): string | null;
  build(ctx: SeedsBuildContext<V>): SeedsInstance<V>;
};

/** A build for S seeds: `seeds[s]` is what `BuildContext.seed` is in a lone run of seed s. */
export interface SeedsBuildContext<V = Params> extends Omit<BuildContext<V>, 'seed'> { seeds: readonly number[] }

/** A step for S seeds: `seeds[s]` holds the `seed` and `epochSeed` a lone run of seed s gets. */
export interface SeedsStepContext<V = Params> extends Omit<StepContext<V>, 'seed' | 'epochSeed'> { seeds: readonly Pick<StepContext, 'seed' | 'epochSeed'>[] }

/** A built seed-batched node: each variable is [S, ...the lone run's shape]. */
export interface SeedsInstance<V = Params> {
  variables: Record<string, tf.Variable>;
  forward(inputs: Record<string, Value | undefined>, ctx: SeedsStepContext<V>): Record<string, Value>;
  dispose(): void;
}

/**
 * Declares a node kind; the value is exported from its own file and listed in nodes/index.ts. Its code
 * reads its params typed from their declarations (`ParamsOf`): no casts.
 */
export function defineNode<const P extends Record<string, ParamSpec>, K extends NodeKind<ParamsOf<P>> & { params: P }>(kind: K & { params: P }): K {
  return kind;
}
