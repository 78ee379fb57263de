import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { defineNode, int, socket, type BatchValue } from './define';
import { DenseStack } from './dense-stack';
import { SeedDenseStack } from './dense-seeds';
import { asData, denseParamCount } from './shape-helpers';
import { denseLayer, latentTuple } from './pytorch';
import { pyCall } from './python';

/** Mean and log-variance heads; z = μ + σ·ε (reparameterised), the mean at evaluation. */
export const gaussianLatent = defineNode({
  kind: 'latent.gaussian', version: 1, title: 'Gaussian latent (VAE)', category: 'latent',
  summary: (p) => `${p.dim}-D · z = μ + σε`,
  inputs: { h: socket('batch') },
  outputs: { z: socket('latent') },
  params: { dim: int({ min: 1, max: 512, default: 2, structural: true }) },
  infer: (inputs, p) => {
    const h = asData(inputs.h)!;
    const dim = p.dim;
    return { outputs: { z: { type: 'latent', dim, gaussian: true, origin: h.origin } }, paramCount: 2 * denseParamCount(h.features, [dim]) };
  },
  build: ({ params: p, inputs, seed }) => {
    const features = asData(inputs.h)!.features;
    const dim = p.dim;
    const mean = new DenseStack(features, [{ units: dim, activation: 'linear' }], { init: 'glorot', seed, prefix: 'mean' });
    const logVar = new DenseStack(features, [{ units: dim, activation: 'linear' }], { init: 'glorot', seed: seed + 1, prefix: 'logvar' });
    return {
      variables: { ...mean.variables, ...logVar.variables },
      forward: ({ h }, ctx) => {
        const m = mean.apply(h as BatchValue, { train: false, dropout: 0, seed });
        const lv = logVar.apply(h as BatchValue, { train: false, dropout: 0, seed });
        if (ctx.mode === 'eval') return { z: { z: m, mean: m, logVar: lv } };
        const eps = tfjs.randomNormal(m.shape, 0, 1, 'float32', ctx.seed);
        return { z: { z: reparameterise(m, lv, eps), mean: m, logVar: lv } };
      },
      dispose: () => { mean.dispose(); logVar.dispose(); },
    };
  },
  seeds: {
    build: ({ params: p, inputs, seeds }) => {
      const features = asData(inputs.h)!.features;
      const dim = p.dim;
      const mean = new SeedDenseStack(features, [{ units: dim, activation: 'linear' }], { init: 'glorot', seeds, prefix: 'mean' });
      const logVar = new SeedDenseStack(features, [{ units: dim, activation: 'linear' }], { init: 'glorot', seeds: seeds.map((s) => s + 1), prefix: 'logvar' });
      return {
        variables: { ...mean.variables, ...logVar.variables },
        forward: ({ h }, ctx) => {
          const o = { train: false, dropout: 0, seeds: ctx.seeds.map((s) => s.seed) };
          const m = mean.apply(h as unknown as tf.Tensor3D, o) as unknown as tf.Tensor2D;
          const lv = logVar.apply(h as unknown as tf.Tensor3D, o) as unknown as tf.Tensor2D;
          if (ctx.mode === 'eval') return { z: { z: m, mean: m, logVar: lv } };
          // Each seed's noise as its lone run draws it (the shape of one seed's codes, its step seed).
          const eps = tfjs.stack(ctx.seeds.map((s) => tfjs.randomNormal(m.shape.slice(1), 0, 1, 'float32', s.seed))) as tf.Tensor;
          return { z: { z: reparameterise(m, lv, eps), mean: m, logVar: lv } };
        },
        dispose: () => { mean.dispose(); logVar.dispose(); },
      };
    },
  },
  pytorch: {
    role: 'module', className: 'GaussianLatent', needs: [latentTuple, denseLayer], outputs: ['z'],
    writeClass: (w) => w.block('class GaussianLatent(nn.Module)', (c) => c
      .doc('latent.gaussian: mean and log-variance heads; z = mean + exp(log_var / 2) * eps (the\nreparameterisation trick) while training and testing, the mean when evaluating.')
      .blank()
      .block('def __init__(self, features, dim)', (b) => b
        .line('super().__init__()', 'self.mean = dense(features, dim)', 'self.log_var = dense(features, dim)'))
      .blank()
      .block('def forward(self, h, mode="train", stochastic=True)', (b) => b
        .line('mean, log_var = self.mean(h), self.log_var(h)')
        .block('if not stochastic or mode == "eval"', (i) => i.line('return Latent(mean, mean, log_var)'))
        .line('return Latent(mean + torch.exp(0.5 * log_var) * torch.randn_like(mean), mean, log_var)'))),
    construct: (n) => pyCall('GaussianLatent', [asData(n.inShapes.h)!.features, n.params.dim]),
    call: (m, inputs, f) => `${m}(${inputs.h}, ${f.mode}, ${f.stochastic})`,
    weight: (name) => {
      const m = /^(mean|logvar)0\/(kernel|bias)$/.exec(name);
      return m ? { key: `${m[1] === 'mean' ? 'mean' : 'log_var'}.${m[2] === 'kernel' ? 'weight' : 'bias'}`, transpose: m[2] === 'kernel' } : null;
    },
  },
});

/** z = μ + σ·ε with σ = exp(½ log σ²): the reparameterisation trick (any shape, the seed-stacked one too). */
function reparameterise(mean: tf.Tensor2D, logVar: tf.Tensor2D, eps: tf.Tensor): tf.Tensor2D {
  return tfjs.add(mean, tfjs.mul(tfjs.exp(tfjs.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
}
