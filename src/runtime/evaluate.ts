/**
 * Evaluations for views and inference: a node's outputs on the evaluation samples (noise and
 * samples per draw, reproducible from the seed), and a decoder's images for chosen latent codes.
 */
import * as tf from '@tensorflow/tfjs';
import type { Json } from '../graph';
import type { Value } from '../../nodes/define';
import { ancestorsInOrder } from './compile';
import type { RunDatasets } from './datasets';
import type { Network } from './network';
import { inputsOf } from './network';
import { collectTensors } from './values';

/** A node's value at `step`; `draw` picks its noise and samples (the views of one step share one, `Run.evaluate` takes its own). */
export async function evaluateNode(net: Network, datasets: RunDatasets, nodeId: string, socket: string | undefined, step: number, draw: number): Promise<Json> {
  const { plan } = net;
  const node = plan.byId.get(nodeId)!;
  const ids = ancestorsInOrder(nodeId, plan.nodes, plan.byId);
  const evalSource = (id: string) => datasets.evalSource(id);
  if (!node.kind.evaluate) {
    // A plain output (e.g. a batch for the reconstructions view): its first rows as numbers.
    const out = socket ?? Object.keys(node.kind.outputs)[0];
    const tensor = tf.tidy(() => {
      const values = net.forwardChain(ids, 'eval', step, evalSource, draw);
      const v = values.get(nodeId)?.[out!];
      if (!(v instanceof tf.Tensor)) throw new Error(`output "${out}" of "${nodeId}" is not a batch`);
      return v.slice([0, 0], [Math.min(64, v.shape[0]), v.shape[1]]);
    });
    const rows = (await tensor.array()) as number[][];
    tensor.dispose();
    const shape = node.outShapes[out!];
    return { kind: 'batch', image: shape && 'image' in shape && shape.image ? [...shape.image] : null, rows, labels: datasets.labels()?.slice(0, rows.length) ?? null } as Json;
  }
  const owned = datasets.evalTensors();
  let tensors: tf.Tensor[] = [];
  let inputs: Record<string, Value | undefined> = {};
  // A node that reads only models (a decoder for a latent grid or samples) needs weights, not data: the
  // chain upstream of it runs on one sample instead of every evaluated one.
  const specs = Object.values(node.kind.inputs);
  const modelsOnly = specs.length > 0 && specs.every((s) => s.type === 'model');
  // A node that reads a few samples (an interpolation's ends): the chain runs on those rows alone.
  // Its params as the run has them now: a live change (another sample to start from) picks other rows.
  const rows = node.kind.evalRows ? pickedRows(node.kind.evalRows(net.live.get(nodeId) ?? node.params), plan.datasetIds.map((id) => evalSource(id).shape[0])) : null;
  tf.tidy(() => {
    const source = modelsOnly ? (id: string) => evalSource(id).slice([0, 0], [1, -1])
      : rows ? (id: string) => tf.gather(evalSource(id), tf.tensor1d(rows, 'int32')) as tf.Tensor2D : evalSource;
    const values = net.forwardChain(ids.filter((id) => id !== nodeId), 'eval', step, source, draw);
    inputs = inputsOf(node, values);
    tensors = collectTensors(inputs).filter((t) => !owned.has(t));
    for (const t of tensors) tf.keep(t);
  });
  try {
    const heldOut = datasets.heldOut();
    return await node.kind.evaluate(inputs, { ...net.stepContext(nodeId, 'eval', step, draw), labels: datasets.labels(), ...(heldOut ? { heldOut } : {}), inputShapes: node.inShapes, ...(rows ? { rows } : {}) });
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/** The rows a kind asked for, when every dataset has each of them (else null: the chain runs on every sample). */
function pickedRows(rows: number[], counts: number[]): number[] | null {
  if (!rows.length || counts.length === 0) return null;
  return rows.every((r) => Number.isInteger(r) && r >= 0 && counts.every((n) => r < n)) ? rows : null;
}

/** Decodes latent codes with a decoder node's current weights: an images result (a click on the latent scatter). A valid call takes a draw. */
export async function decodeCodes(net: Network, decoderNodeId: string, codes: number[][], step: number, nextDraw: () => number): Promise<Json> {
  const node = net.plan.byId.get(decoderNodeId);
  const inst = net.instances.get(decoderNodeId);
  const model = node?.outShapes.model;
  if (!node || !inst || model?.type !== 'model') throw new Error(`"${decoderNodeId}" is not a decoder`);
  if (codes.length === 0 || codes.length > 4096 || codes.some((z) => z.length !== model.inputs || !z.every(Number.isFinite))) {
    throw new Error(`codes must be 1 to 4096 points of ${model.inputs} finite numbers`);
  }
  const out = tf.tidy(() => {
    const z = tf.tensor2d(codes, [codes.length, model.inputs]);
    const x = inst.forward({ z: { z } }, net.stepContext(decoderNodeId, 'eval', step, nextDraw())).x as tf.Tensor2D;
    return tf.clipByValue(x, 0, 1);
  });
  const pixels = (await out.array()) as number[][];
  out.dispose();
  return { kind: 'images', image: model.image ? [...model.image] : null, count: pixels.length, pixels, coords: codes, cols: codes.length, rows: 1 };
}
