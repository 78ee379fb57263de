import * as tf from '@tensorflow/tfjs';
import { leakyReluAlpha } from '../../nodes/activations';
import { kindParams, own, type Problem } from '../graph';
import { layerActivations } from '../../nodes/dense-stack';
import { denseDecoder } from '../../nodes/decoder-dense';
import { denseEncoder } from '../../nodes/encoder-dense';
import { deterministicLatent } from '../../nodes/latent-deterministic';
import { gaussianLatent } from '../../nodes/latent-gaussian';
import type { Plan, PlanNode } from './compile';
import type { NamedWeights } from './types';

/** The trained encoder (data → code, the mean for a VAE) and decoder (code → data) as Keras-style models. */
export interface ExportedModels { encoder: tf.Sequential; decoder: tf.Sequential; encoderId: string; latentId: string; decoderId: string }

type Weights = Record<string, { shape: number[]; values: Float32Array }>;

function dense(stack: tf.Sequential, weights: Weights, prefix: string, i: number, inputs: number | null, units: number, activation: string): void {
  const kernel = own(weights, `${prefix}${i}/kernel`);
  const bias = own(weights, `${prefix}${i}/bias`);
  if (!kernel || !bias) throw new Error(`missing weights ${prefix}${i}`);
  const keras = activation === 'leaky-relu' ? 'linear' : (activation as 'linear');
  const layer = tf.layers.dense({ units, activation: keras, ...(inputs === null ? {} : { inputShape: [inputs] }) });
  stack.add(layer);
  tf.tidy(() => layer.setWeights([tf.tensor(kernel.values, kernel.shape), tf.tensor(bias.values, bias.shape)]));
  if (activation === 'leaky-relu') stack.add(tf.layers.leakyReLU({ alpha: leakyReluAlpha }));
}

const source = (plan: Plan, node: PlanNode, socket: string) => {
  const s = node.inputs[socket]?.[0];
  return s ? plan.byId.get(s.node) : undefined;
};

/**
 * Rebuilds the graph's encoder → latent → decoder chain as tfjs Layers models with the trained weights,
 * so `model.save(...)` writes model.json + weights that `tf.loadLayersModel` (and the tensorflowjs
 * converter, for Keras) reads. Noise and losses are training-only and not part of the models.
 */
export function exportLayersModels(plan: Plan, weights: NamedWeights): ExportedModels | Problem {
  const decoder = plan.nodes.find((n) => n.kind.kind === 'decoder.dense');
  const latent = decoder && source(plan, decoder, 'z');
  const encoder = latent && source(plan, latent, 'h');
  if (!decoder || !latent || !encoder || encoder.kind.kind !== 'encoder.dense') {
    return { severity: 'error', path: '', message: 'export needs a chain encoder.dense → latent → decoder.dense' };
  }
  // Params typed from the kinds' declarations (a validated plan's always pass).
  const encP = kindParams(denseEncoder.params, encoder.params);
  const decP = kindParams(denseDecoder.params, decoder.params);
  const gaussian = latent.kind.kind === 'latent.gaussian';
  // A gaussian latent's mean layer is linear; a deterministic code has its own activation.
  const latP = gaussian ? { ...kindParams(gaussianLatent.params, latent.params), activation: 'linear' } : kindParams(deterministicLatent.params, latent.params);
  if (!encP || !decP || !latP) return { severity: 'error', path: '', message: 'export needs a validated graph: a param of the chain does not match its declaration' };
  for (const [n, p] of [[encoder, encP], [decoder, decP]] as const) {
    if (p.batchNorm) {
      return { severity: 'error', path: '', nodeId: n.id, kind: n.kind.kind, param: 'batchNorm',
        message: 'normalises with the statistics of each batch, which a Layers model cannot reproduce; turn batch norm off to export' };
    }
  }
  {
    const enc = tf.sequential({ name: 'latentflow_encoder' });
    const inputs = (encoder.inShapes.x as { features: number }).features;
    const encActs = layerActivations(encP.units, encP.activation, encP.activations);
    encP.units.forEach((u, i) => dense(enc, own(weights, encoder.id) ?? {}, 'dense', i, i === 0 ? inputs : null, u, encActs[i]!));
    const dim = (latent.outShapes.z as { dim: number }).dim;
    dense(enc, own(weights, latent.id) ?? {}, gaussian ? 'mean' : 'dense', 0, encP.units.length ? null : inputs, dim, latP.activation);

    const dec = tf.sequential({ name: 'latentflow_decoder' });
    const decActs = layerActivations(decP.units, decP.activation, decP.activations);
    const outputs = (decoder.outShapes.x as { features: number }).features;
    [...decP.units, outputs].forEach((u, i) =>
      dense(dec, own(weights, decoder.id) ?? {}, 'dense', i, i === 0 ? dim : null, u, i < decP.units.length ? decActs[i]! : decP.outputActivation));
    return { encoder: enc, decoder: dec, encoderId: encoder.id, latentId: latent.id, decoderId: decoder.id };
  }
}
