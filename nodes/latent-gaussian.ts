import * as tf from '@tensorflow/tfjs';
import { defineNode, int, socket, type BatchValue } from './define';
import { DenseStack } from './dense-stack';
import { asData, denseParamCount } from './shape-helpers';
import { denseLayer, latentTuple, type PyModuleForm } from './pytorch';
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
    construct: (n) => pyCall('GaussianLatent', [asData(n.inShapes.h)!.features, n.params.dim as number]),
    call: (m, inputs, f) => `${m}(${inputs.h}, ${f.mode}, ${f.stochastic})`,
    weight: (name) => {
      const m = /^(mean|logvar)0\/(kernel|bias)$/.exec(name);
      return m ? { key: `${m[1] === 'mean' ? 'mean' : 'log_var'}.${m[2] === 'kernel' ? 'weight' : 'bias'}`, transpose: m[2] === 'kernel' } : null;
    },
  } satisfies PyModuleForm,
});
