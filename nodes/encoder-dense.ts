import { defineNode, socket, type BatchValue } from './define';
import { DenseStack, layerActivations } from './dense-stack';
import { SeedDenseStack, denseSeedsRefusal } from './dense-seeds';
import type * as tf from '@tensorflow/tfjs';
import { checkActivations, denseStackParams, type DenseStackParams } from './dense-params';
import { asData, denseParamCount } from './shape-helpers';
import { denseKeywords, denseStack, denseStackWeight, pyActivations } from './pytorch';
import { pyCall } from './python';
import { denseSummary } from './summaries';

/** A stack of dense layers from the data to the features the latent sampler reads. */
export const denseEncoder = defineNode({
  kind: 'encoder.dense', version: 1, title: 'Encoder (dense)', category: 'network',
  summary: (p) => denseSummary(p),
  inputs: { x: socket('batch') },
  outputs: { h: socket('batch', { label: 'features' }) },
  params: denseStackParams([64, 32], 'tanh'),
  infer: (inputs, p) => {
    const x = asData(inputs.x)!;
    const units = p.units;
    const bn = p.batchNorm ? units.reduce((a, u) => a + 2 * u, 0) : 0;
    const features = units.length ? units[units.length - 1]! : x.features;
    return {
      outputs: { h: { type: 'batch', features, origin: x.origin ?? { features: x.features, image: x.image }, samples: x.samples } },
      paramCount: denseParamCount(x.features, units) + bn,
      hidden: units.reduce((a, u) => a + u, 0),
      issues: checkActivations(p),
    };
  },
  build: ({ params: p, inputs, seed }) => {
    const stack = new DenseStack(asData(inputs.x)!.features, encoderLayers(p), { init: p.init, seed, batchNorm: p.batchNorm });
    return {
      variables: stack.variables,
      forward: ({ x }, ctx) => ({
        h: stack.apply(x as BatchValue, { train: ctx.mode === 'train', dropout: ctx.params.dropout, seed: ctx.seed, dropoutOnLast: true }),
      }),
      dispose: () => stack.dispose(),
    };
  },
  seeds: {
    refuse: denseSeedsRefusal,
    build: ({ params: p, inputs, seeds }) => {
      const stack = new SeedDenseStack(asData(inputs.x)!.features, encoderLayers(p), { init: p.init, seeds });
      return {
        variables: stack.variables,
        forward: ({ x }, ctx) => ({
          h: stack.apply(x as unknown as tf.Tensor3D, { train: ctx.mode === 'train', dropout: ctx.params.dropout, seeds: ctx.seeds.map((s) => s.seed), dropoutOnLast: true }) as unknown as BatchValue,
        }),
        dispose: () => stack.dispose(),
      };
    },
  },
  pytorch: {
    role: 'module', className: 'DenseEncoder', needs: [denseStack], outputs: ['h'],
    writeClass: (w) => w.block('class DenseEncoder(DenseStack)', (c) => c
      .doc('encoder.dense: dense layers from the data to the features the latent reads (dropout after the last one too).')
      .blank()
      .block('def __init__(self, inputs, units, activations, **kwargs)', (b) => b.line('super().__init__(inputs, units, activations, dropout_on_last=True, **kwargs)'))),
    construct: (n) => pyCall('DenseEncoder', [asData(n.inShapes.x)!.features, n.params.units, pyActivations(n.params)], denseKeywords(n.params)),
    call: (m, inputs) => `${m}(${inputs.x})`,
    weight: (name) => denseStackWeight(name),
  },
});

/** The encoder's layers: its units, each with its activation. */
function encoderLayers(p: DenseStackParams): { units: number; activation: string }[] {
  const units = p.units;
  const acts = layerActivations(units, p.activation, p.activations);
  return units.map((u, i) => ({ units: u, activation: acts[i]! }));
}
