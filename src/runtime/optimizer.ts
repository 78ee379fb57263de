import * as tf from '@tensorflow/tfjs';
import type { Params } from '../graph';

/** The tfjs optimizer a trainer's params ask for. */
export function makeOptimizer(p: Params): tf.Optimizer {
  const lr = p.lr as number;
  switch (p.optimizer) {
    case 'sgd': return tf.train.sgd(lr);
    case 'momentum': return tf.train.momentum(lr, p.momentum as number);
    case 'rmsprop': return tf.train.rmsprop(lr, 0.9, p.momentum as number);
    case 'adam':
    default: return tf.train.adam(lr, p.beta1 as number, p.beta2 as number);
  }
}

/** Changes the learning rate of a live optimizer (the next step uses it). */
export function setOptimizerLr(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  // SGD and momentum keep the rate as a tensor; Adam and RMSprop read the number at each step.
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** The scheduled learning rate at an epoch (the adaptive rule is applied from epoch losses instead). */
export function scheduledLr(p: Params, epoch: number): number {
  const lr = p.lr as number;
  const rate = p.decayRate as number;
  const every = p.decayEvery as number;
  switch (p.schedule) {
    case 'step': return lr * rate ** Math.floor(epoch / every);
    case 'exponential': return lr * rate ** (epoch / every);
    default: return lr;
  }
}
