import * as tf from '@tensorflow/tfjs';
import { defineNode, int, socket, type BatchValue } from './define';
import { DenseStack } from './dense-stack';
import { asData, denseParamCount } from './shape-helpers';

/** Mean and log-variance heads; z = μ + σ·ε (reparameterised), the mean at evaluation. */
export const gaussianLatent = defineNode({
  kind: 'latent.gaussian', version: 1, title: 'Gaussian latent (VAE)', category: 'latent',
  summary: (p) => `${p.dim}-D · z = μ + σε`,
  inputs: { h: socket('batch') },
  outputs: { z: socket('latent') },
  params: { dim: int({ min: 1, max: 512, default: 2, structural: true }) },
  infer: (inputs, p) => {
    const h = asData(inputs.h)!;
    const dim = p.dim as number;
    return { outputs: { z: { type: 'latent', dim, gaussian: true, origin: h.origin } }, paramCount: 2 * denseParamCount(h.features, [dim]) };
  },
  build: ({ params: p, inputs, seed }) => {
    const features = asData(inputs.h)!.features;
    const dim = p.dim as number;
    const mean = new DenseStack(features, [{ units: dim, activation: 'linear' }], { init: 'glorot', seed, prefix: 'mean' });
    const logVar = new DenseStack(features, [{ units: dim, activation: 'linear' }], { init: 'glorot', seed: seed + 1, prefix: 'logvar' });
    return {
      variables: { ...mean.variables, ...logVar.variables },
      forward: ({ h }, ctx) => {
        const m = mean.apply(h as BatchValue, { train: false, dropout: 0, seed });
        const lv = logVar.apply(h as BatchValue, { train: false, dropout: 0, seed });
        if (ctx.mode === 'eval') return { z: { z: m, mean: m, logVar: lv } };
        const eps = tf.randomNormal(m.shape, 0, 1, 'float32', ctx.seed);
        const z = tf.add(m, tf.mul(tf.exp(tf.mul(lv, 0.5)), eps)) as tf.Tensor2D;
        return { z: { z, mean: m, logVar: lv } };
      },
      dispose: () => { mean.dispose(); logVar.dispose(); },
    };
  },
});
