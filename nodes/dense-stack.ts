import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { leakyReluAlpha, type ActivationName, type InitName } from './activations';
import { dense } from './dense-op';

/** Applies a named activation. */
export function activate(x: tf.Tensor2D, name: string): tf.Tensor2D {
  switch (name as ActivationName) {
    case 'sigmoid': return tfjs.sigmoid(x);
    case 'tanh': return tfjs.tanh(x);
    case 'relu': return tfjs.relu(x);
    case 'leaky-relu': return tfjs.leakyRelu(x, leakyReluAlpha);
    case 'elu': return tfjs.elu(x);
    case 'linear': return x;
  }
  throw new Error(`unknown activation ${name}`);
}

/** A kernel initialised deterministically from a seed. */
export function initKernel(fanIn: number, fanOut: number, init: string, seed: number): tf.Tensor2D {
  switch (init as InitName) {
    case 'he': return tfjs.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn), 'float32', seed);
    case 'uniform': {
      const r = 1 / Math.sqrt(fanIn);
      return tfjs.randomUniform([fanIn, fanOut], -r, r, 'float32', seed);
    }
    case 'glorot':
    default: {
      const r = Math.sqrt(6 / (fanIn + fanOut));
      return tfjs.randomUniform([fanIn, fanOut], -r, r, 'float32', seed);
    }
  }
}

export interface DenseLayerSpec { units: number; activation: string }

/** The seed of layer i's kernel initialisation, from the stack's seed (nodes/dense-seeds.ts draws each seed's the same way). */
export const kernelSeed = (seed: number, i: number): number => seed + 7919 * (i + 1);
/** The seed of the dropout after layer i, from the step's seed. */
export const dropoutSeed = (seed: number, i: number): number => seed + i;

/**
 * A chain of dense layers with named variables (`<prefix><i>/kernel`, `/bias`, `/gamma`, `/beta`).
 * tfjs variable names are global, so the names live only in our map; tfjs names them itself.
 */
export class DenseStack {
  readonly variables: Record<string, tf.Variable> = {};
  private readonly layers: { kernel: tf.Variable; bias: tf.Variable; gamma?: tf.Variable; beta?: tf.Variable; activation: string }[] = [];

  constructor(inputs: number, specs: readonly DenseLayerSpec[], opts: { init: string; seed: number; batchNorm?: boolean; prefix?: string }) {
    let prev = inputs;
    specs.forEach((spec, i) => {
      const name = `${opts.prefix ?? 'dense'}${i}`;
      const kernel = tfjs.tidy(() => tfjs.variable(initKernel(prev, spec.units, opts.init, kernelSeed(opts.seed, i))));
      const bias = tfjs.tidy(() => tfjs.variable(tfjs.zeros([spec.units])));
      this.variables[`${name}/kernel`] = kernel;
      this.variables[`${name}/bias`] = bias;
      const layer: (typeof this.layers)[number] = { kernel, bias, activation: spec.activation };
      // Batch norm on hidden layers only (never on the output a loss compares to data).
      if (opts.batchNorm && i < specs.length - 1) {
        layer.gamma = tfjs.tidy(() => tfjs.variable(tfjs.ones([spec.units])));
        layer.beta = tfjs.tidy(() => tfjs.variable(tfjs.zeros([spec.units])));
        this.variables[`${name}/gamma`] = layer.gamma;
        this.variables[`${name}/beta`] = layer.beta;
      }
      this.layers.push(layer);
      prev = spec.units;
    });
  }

  /** Runs the stack; dropout (train mode only) after each hidden layer. */
  apply(x: tf.Tensor2D, o: { train: boolean; dropout: number; seed: number; dropoutOnLast?: boolean }): tf.Tensor2D {
    let h = x;
    this.layers.forEach((layer, i) => {
      if (layer.gamma && layer.beta) {
        // Normalises with the statistics of the batch at hand (training and evaluation alike).
        let a = dense(h, layer.kernel as tf.Tensor2D, layer.bias as tf.Tensor1D, 'linear');
        const { mean, variance } = tfjs.moments(a, 0);
        a = tfjs.batchNorm(a, mean, variance, layer.beta, layer.gamma, 1e-5) as tf.Tensor2D;
        h = activate(a, layer.activation);
      } else {
        h = dense(h, layer.kernel as tf.Tensor2D, layer.bias as tf.Tensor1D, layer.activation);
      }
      const last = i === this.layers.length - 1;
      if (o.train && o.dropout > 0 && (!last || o.dropoutOnLast)) h = tfjs.dropout(h, o.dropout, undefined, dropoutSeed(o.seed, i)) as tf.Tensor2D;
    });
    return h;
  }

  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}

/** The activation of each layer: the per-layer list when given, else one for all. */
export function layerActivations(units: readonly number[], activation: string, perLayer: readonly string[] | null): string[] {
  return units.map((_, i) => (perLayer && perLayer.length === units.length ? perLayer[i]! : activation));
}
