import { choice, defineNode, int, optional, socket, type BatchValue } from './define';
import { DenseStack } from './dense-stack';
import { SeedDenseStack } from './dense-seeds';
import type * as tf from '@tensorflow/tfjs';
import { activationNames } from './activations';
import { asData, denseParamCount } from './shape-helpers';
import { denseLayer, latentTuple } from './pytorch';
import { pyCall } from './python';
import { joined } from './summaries';

/** The code's size: `dim`, or (left empty) as many values as the features it reads. */
const codeDim = (p: { dim: number | null }, features: number): number => p.dim ?? features;

/** Projects features to a `dim`-dimensional code (the plain autoencoder's bottleneck). */
export const deterministicLatent = defineNode({
  kind: 'latent.deterministic', version: 1, title: 'Latent code', category: 'latent',
  summary: (p) => joined(p.dim === null ? 'as wide as its input' : `${p.dim}-D`, p.activation !== 'linear' && String(p.activation)),
  inputs: { h: socket('batch') },
  outputs: { z: socket('latent') },
  params: {
    dim: optional(int({ min: 1, max: 512, default: 2, structural: true, help: 'Values in the code; empty: as many as the features it reads (the encoder\'s last width follows a sweep of it).' })),
    activation: choice({ options: activationNames, default: 'linear', structural: true }),
  },
  infer: (inputs, p) => {
    const h = asData(inputs.h)!;
    const dim = codeDim(p, h.features);
    return { outputs: { z: { type: 'latent', dim, gaussian: false, origin: h.origin } }, paramCount: denseParamCount(h.features, [dim]) };
  },
  build: ({ params: p, inputs, seed }) => {
    const stack = new DenseStack(asData(inputs.h)!.features, [{ units: codeDim(p, asData(inputs.h)!.features), activation: p.activation }], { init: 'glorot', seed });
    return {
      variables: stack.variables,
      forward: ({ h }) => ({ z: { z: stack.apply(h as BatchValue, { train: false, dropout: 0, seed }) } }),
      dispose: () => stack.dispose(),
    };
  },
  seeds: {
    build: ({ params: p, inputs, seeds }) => {
      const stack = new SeedDenseStack(asData(inputs.h)!.features, [{ units: codeDim(p, asData(inputs.h)!.features), activation: p.activation }], { init: 'glorot', seeds });
      return {
        variables: stack.variables,
        forward: ({ h }, ctx) => ({ z: { z: stack.apply(h as unknown as tf.Tensor3D, { train: false, dropout: 0, seeds: ctx.seeds.map((s) => s.seed) }) as unknown as tf.Tensor2D } }),
        dispose: () => stack.dispose(),
      };
    },
  },
  pytorch: {
    role: 'module', className: 'LatentCode', needs: [latentTuple, denseLayer], outputs: ['z'],
    writeClass: (w) => w.block('class LatentCode(nn.Module)', (c) => c
      .doc('latent.deterministic: one dense layer to the code (the plain autoencoder\'s bottleneck).')
      .blank()
      .block('def __init__(self, features, dim, activation="linear")', (b) => b
        .line('super().__init__()', 'self.dense = dense(features, dim)', 'self.activation = ACTIVATIONS[activation]()'))
      .blank()
      .block('def forward(self, h)', (b) => b.line('return Latent(self.activation(self.dense(h)), None, None)'))),
    construct: (n) => pyCall('LatentCode', [asData(n.inShapes.h)!.features, codeDim(n.params, asData(n.inShapes.h)!.features)], { activation: n.params.activation }),
    call: (m, inputs) => `${m}(${inputs.h})`,
    weight: (name) => {
      const m = /^dense0\/(kernel|bias)$/.exec(name);
      return m ? { key: m[1] === 'kernel' ? 'dense.weight' : 'dense.bias', transpose: m[1] === 'kernel' } : null;
    },
  },
});
