import * as tf from '@tensorflow/tfjs';
import type { TrainerParams } from '../../nodes/train-optimizer';
import type { OptimizerState } from './types';
import { FlatAdamOptimizer } from './flat-adam';

/** The tfjs optimizer a trainer's params ask for. */
export function makeOptimizer(p: Pick<TrainerParams, 'optimizer' | 'lr' | 'momentum' | 'beta1' | 'beta2'>): tf.Optimizer {
  const lr = p.lr;
  switch (p.optimizer) {
    case 'sgd': return tf.train.sgd(lr);
    case 'momentum': return tf.train.momentum(lr, p.momentum);
    case 'rmsprop': return tf.train.rmsprop(lr, 0.9, p.momentum);
    case 'adam':
    // tfjs's Adam, updating every weight at once (fewer kernels a step; the same numbers and checkpoints).
    default: return new FlatAdamOptimizer(lr, p.beta1, p.beta2);
  }
}

/** Changes the learning rate of a live optimizer (the next step uses it). */
export function setOptimizerLr(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  // SGD and momentum keep the rate as a tensor; Adam and RMSprop read the number at each step.
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** Reads an optimizer's state (its slots exist once it has taken a step). */
export async function readOptimizerState(optimizer: tf.Optimizer, name: string): Promise<OptimizerState> {
  const [iterations, ...slots] = await optimizer.getWeights();
  // The step count comes as a new scalar (ours to free); the slots are the optimizer's own variables.
  const count = iterations ? (await iterations.tensor.data())[0]! : 0;
  iterations?.tensor.dispose();
  return {
    optimizer: name,
    iterations: count,
    slots: await Promise.all(slots.map(async (s) => ({ shape: [...s.tensor.shape], values: new Float32Array(await s.tensor.data()) }))),
  };
}

/**
 * Restores a state read from the same optimizer over variables of the same shapes; returns why not
 * otherwise (and changes nothing). Call it before the first step: tfjs keeps slots by variable order.
 */
export async function restoreOptimizerState(optimizer: tf.Optimizer, name: string, state: OptimizerState, variables: readonly tf.Variable[]): Promise<string | null> {
  if (state.optimizer !== name) return `it was saved by ${state.optimizer}, and the trainer now uses ${name}`;
  const n = variables.length;
  if (n === 0 || state.slots.length % n !== 0) return `it holds ${state.slots.length} slots for ${n} weights`;
  const bad = state.slots.findIndex((s, i) => !sameShape(s.shape, variables[i % n]!.shape) || s.values.length !== variables[i % n]!.size);
  if (bad >= 0) return `slot ${bad} has shape [${state.slots[bad]!.shape}], its weight [${variables[bad % n]!.shape}]`;
  const named = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') },
    ...state.slots.map((s, i) => ({ name: `${variables[i % n]!.name}/slot${Math.floor(i / n)}`, tensor: tf.tensor(s.values, s.shape) })),
  ];
  try {
    await optimizer.setWeights(named);
  } finally {
    for (const t of named) t.tensor.dispose();
  }
  return null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
