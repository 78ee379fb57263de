import { choice, defineNode, int, optional, socket, type LatentValue, type StepMode } from './define';
import { DenseStack, layerActivations } from './dense-stack';
import { SeedDenseStack, denseSeedsRefusal } from './dense-seeds';
import type * as tf from '@tensorflow/tfjs';
import { activationNames } from './activations';
import { checkActivations, denseStackParams, type DenseStackParams } from './dense-params';
import { asLatent, denseParamCount } from './shape-helpers';
import { limits, type InferResult } from '../src/graph';
import { denseKeywords, denseStack, denseStackWeight, pyActivations } from './pytorch';
import { pyCall } from './python';
import { denseSummary } from './summaries';

/** A stack of dense layers from a latent code back to data; it also offers itself as a model. */
export const denseDecoder = defineNode({
  kind: 'decoder.dense', version: 1, title: 'Decoder (dense)', category: 'network',
  summary: (p) => denseSummary(p, p.outputActivation === undefined ? undefined : String(p.outputActivation)),
  inputs: { z: socket('latent') },
  outputs: { x: socket('batch', { label: 'reconstruction' }), model: socket('model', { label: 'decoder' }) },
  params: {
    ...denseStackParams([32, 64], 'tanh'),
    outputActivation: choice({ options: activationNames, default: 'sigmoid', structural: true, help: 'sigmoid for pixels in [0, 1].' }),
    outputSize: optional(int({ min: 1, max: 1_000_000, default: 0, structural: true, help: 'Values per sample out; empty: the size of the data that went in.' })),
  },
  infer: (inputs, p): InferResult => {
    const z = asLatent(inputs.z)!;
    const units = p.units;
    const issues = checkActivations(p);
    const size = (p.outputSize) ?? z.origin?.features;
    if (size === undefined) {
      return { outputs: {}, issues: [...issues, { param: 'outputSize', message: 'cannot tell how many values to give back: set params.outputSize' }] };
    }
    if (size > limits.layerUnits * 256) {
      return { outputs: {}, issues: [{ param: 'outputSize', message: `params.outputSize ${size} is too large` }] };
    }
    const image = z.origin?.image && z.origin.features === size ? z.origin.image : undefined;
    const bn = p.batchNorm ? units.reduce((a, u) => a + 2 * u, 0) : 0;
    return {
      outputs: {
        x: { type: 'batch', features: size, image, origin: z.origin },
        model: { type: 'model', inputs: z.dim, outputs: size, image },
      },
      paramCount: denseParamCount(z.dim, [...units, size]) + bn,
      hidden: units.reduce((a, u) => a + u, 0),
      issues,
    };
  },
  build: ({ params: p, inputs, outputs, seed }) => {
    const model = outputs.model as { inputs: number; outputs: number; image?: readonly [number, number, number] };
    const stack = new DenseStack(asLatent(inputs.z)!.dim, decoderLayers(p, model.outputs), { init: p.init, seed, batchNorm: p.batchNorm });
    let dropout = 0;
    const apply = (z: tf.Tensor2D, mode: StepMode, stepSeed = seed) => stack.apply(z, { train: mode === 'train', dropout, seed: stepSeed });
    const decoder = { apply, inputs: model.inputs, outputs: model.outputs, image: model.image };
    return {
      variables: stack.variables,
      forward: ({ z }, ctx) => {
        dropout = ctx.params.dropout;
        return { x: apply((z as LatentValue).z, ctx.mode, ctx.seed), model: decoder };
      },
      dispose: () => stack.dispose(),
    };
  },
  seeds: {
    refuse: denseSeedsRefusal,
    build: ({ params: p, inputs, outputs, seeds }) => {
      const stack = new SeedDenseStack(asLatent(inputs.z)!.dim, decoderLayers(p, (outputs.model as { outputs: number }).outputs), { init: p.init, seeds });
      return {
        variables: stack.variables,
        forward: ({ z }, ctx) => ({
          x: stack.apply((z as LatentValue).z as unknown as tf.Tensor3D, { train: ctx.mode === 'train', dropout: ctx.params.dropout, seeds: ctx.seeds.map((s) => s.seed) }) as unknown as tf.Tensor2D,
        }),
        dispose: () => stack.dispose(),
      };
    },
  },
  pytorch: {
    role: 'module', className: 'DenseDecoder', needs: [denseStack], outputs: ['x'],
    writeClass: (w) => w.block('class DenseDecoder(DenseStack)', (c) => c
      .doc('decoder.dense: dense layers from a latent code back to the data, ending in the output activation.')
      .blank()
      .block('def __init__(self, inputs, units, activations, output_size, output_activation, **kwargs)', (b) => b
        .line('super().__init__(inputs, [*units, output_size], [*activations, output_activation], **kwargs)'))
      .blank()
      .block('def forward(self, z)', (b) => b.doc('Decodes a Latent (its z) or a batch of codes.').line('return super().forward(z.z if isinstance(z, Latent) else z)'))),
    construct: (n) => {
      const model = n.outShapes.model as { inputs: number; outputs: number };
      return pyCall('DenseDecoder', [model.inputs, n.params.units, pyActivations(n.params), model.outputs, n.params.outputActivation], denseKeywords(n.params));
    },
    call: (m, inputs) => `${m}(${inputs.z})`,
    weight: (name) => denseStackWeight(name),
  },
});

/** The decoder's layers: its hidden units, then the output layer. */
function decoderLayers(p: DenseStackParams & { outputActivation: string }, outputs: number): { units: number; activation: string }[] {
  const units = p.units;
  const acts = layerActivations(units, p.activation, p.activations);
  return [...units.map((u, i) => ({ units: u, activation: acts[i]! })), { units: outputs, activation: p.outputActivation }];
}
