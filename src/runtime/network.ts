/**
 * The network a run trains: each node's live params, its built instance (weights and `forward`), and
 * the forward pass over a chain of nodes with per-node, per-step seeds (ARCHITECTURE §4, determinism).
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from '../graph';
import type { NodeInstance, StepContext, StepMode, Value } from '../../nodes/define';
import type { Plan, PlanNode } from './compile';
import { stepSeeds } from './epochs';
import { deriveSeed } from './rng';

export class Network {
  /** Each node's params as the run has them now (live changes included). */
  readonly live = new Map<string, Params>();
  readonly instances = new Map<string, NodeInstance>();
  /** The trained variables (those of the training step's nodes), in the order the optimizer and its state use. */
  varList: tf.Variable[] = [];
  /** Each trained variable's node id and name. */
  readonly varNames = new Map<tf.Variable, readonly [nodeId: string, name: string]>();
  /** Steps in an epoch (set once the datasets are loaded). */
  stepsPerEpoch = 1;
  private readonly seedBase = new Map<string, number>();
  private readonly datasetIds: ReadonlySet<string>;
  /** Each chain's steps, worked out once (a training step runs the same chain thousands of times a second). */
  private chains = new WeakMap<readonly string[], ChainStep[]>();

  constructor(readonly plan: Plan, readonly seed: number) {
    this.datasetIds = new Set(plan.datasetIds);
    for (const n of plan.nodes) {
      this.live.set(n.id, { ...n.params });
      this.seedBase.set(n.id, deriveSeed(seed, n.id));
    }
  }

  /** Builds every node's weights (on the active backend), seeded from the run seed. */
  build(): void {
    for (const n of this.plan.nodes) {
      if (!n.kind.build) continue;
      this.instances.set(n.id, n.kind.build({ nodeId: n.id, params: this.live.get(n.id)!, inputs: n.inShapes, outputs: n.outShapes, seed: this.seedBase.get(n.id)! }));
    }
    this.varList = [];
    this.varNames.clear();
    this.chains = new WeakMap();
    for (const id of this.plan.stepNodes) {
      for (const [name, v] of Object.entries(this.instances.get(id)?.variables ?? {})) {
        this.varList.push(v);
        this.varNames.set(v, [id, name]);
      }
    }
  }

  hasWeights(id: string): boolean {
    return Object.keys(this.instances.get(id)?.variables ?? {}).length > 0;
  }

  /** Seeds differ per node and per step; an evaluation gets its own draw (`draw`), apart from training's. */
  stepContext(id: string, mode: StepMode, step: number, draw?: number): StepContext {
    const epoch = Math.floor(step / this.stepsPerEpoch);
    const { seed, epochSeed } = stepSeeds(this.seedBase.get(id)!, step, epoch, draw);
    return { params: this.live.get(id)!, mode, epoch, step, seed, epochSeed };
  }

  /** Runs the chain in order; returns every node's outputs. `source` feeds each dataset node. */
  forwardChain(ids: readonly string[], mode: StepMode, step: number, source: (id: string) => tf.Tensor2D, draw?: number): Map<string, Record<string, Value>> {
    const chain = this.chain(ids);
    const outs = this.runChain(chain, mode, step, source, draw);
    const values = new Map<string, Record<string, Value>>();
    chain.forEach((c, i) => outs[i] && values.set(c.id, outs[i]));
    return values;
  }

  /** The chain's outputs by position (no lookup by id: a training step runs this thousands of times a second). */
  private runChain(chain: readonly ChainStep[], mode: StepMode, step: number, source: (id: string) => tf.Tensor2D, draw?: number): (Record<string, Value> | undefined)[] {
    const outs: (Record<string, Value> | undefined)[] = new Array(chain.length);
    for (let i = 0; i < chain.length; i++) {
      const c = chain[i]!;
      if (c.dataset) outs[i] = { x: source(c.id) };
      else if (c.instance) {
        const inputs: Record<string, Value | undefined> = {};
        for (const [name, at, socket] of c.inputs) inputs[name] = at < 0 ? undefined : outs[at]?.[socket];
        outs[i] = c.instance.forward(inputs, this.stepContext(c.id, mode, step, draw));
      }
    }
    return outs;
  }

  private chain(ids: readonly string[]): ChainStep[] {
    let steps = this.chains.get(ids);
    if (!steps) {
      const at = new Map(ids.map((id, i) => [id, i]));
      steps = ids.map((id) => ({
        id, dataset: this.datasetIds.has(id), instance: this.instances.get(id),
        // A source outside the chain (or none) gives nothing, as a node that has not run.
        inputs: inputSources(this.plan.byId.get(id)!).map(([name, s]) => [name, (s && at.get(s.node)) ?? -1, s?.socket ?? ''] as const),
      }));
      this.chains.set(ids, steps);
    }
    return steps;
  }

  /**
   * One training step: the training step's nodes run in order inside one `optimizer.minimize`, so gradients
   * flow through the whole chain (ARCHITECTURE §4). The loss tensors to read back: the total, then each term
   * when there are several.
   */
  trainStep(optimizer: tf.Optimizer, trainer: PlanNode, step: number, batch: (id: string) => tf.Tensor2D): tf.Scalar[] {
    const kept: tf.Scalar[] = [];
    const total = optimizer.minimize(() => {
      const terms = this.lossTerms(trainer, 'train', step, batch);
      if (terms.length === 1) return terms[0]!;
      for (const t of terms) kept.push(tf.keep(t));
      return tf.addN(terms) as tf.Scalar;
    }, true, this.varList) as tf.Scalar;
    return [total, ...kept];
  }

  /**
   * The loss on held-out samples after an epoch's last step, computed as in training with no gradient; a
   * draw of its own per epoch (reproducible, apart from training's). The total, then each term when there are several.
   */
  testLosses(trainer: PlanNode, step: number, epoch: number, samples: (id: string) => tf.Tensor2D): tf.Scalar[] {
    return tf.tidy(() => {
      const terms = this.lossTerms(trainer, 'test', step, samples, -1 - epoch);
      return terms.length === 1 ? [terms[0]!] : [tf.addN(terms) as tf.Scalar, ...terms];
    });
  }

  /** The trainer's loss terms after a forward pass of the training step's nodes, in the order of its `loss` input. */
  private lossTerms(trainer: PlanNode, mode: StepMode, step: number, source: (id: string) => tf.Tensor2D, draw?: number): tf.Scalar[] {
    const chain = this.chain(this.plan.stepNodes);
    const outs = this.runChain(chain, mode, step, source, draw);
    return trainer.inputs.loss!.map((s) => (outs[chain.findIndex((c) => c.id === s.node)]![s.socket] as { loss: tf.Scalar }).loss);
  }

  /** Frees every node's weights (`quietly`: a lost device's memory is gone anyway). */
  dispose(quietly = false): void {
    for (const inst of this.instances.values()) {
      try {
        inst.dispose();
      } catch (e) {
        if (!quietly) throw e;
      }
    }
    this.instances.clear();
    this.chains = new WeakMap();
  }
}

/** A node of a chain as the forward pass needs it: its instance, and where each input comes from (its socket's first source). */
interface ChainStep {
  id: string;
  dataset: boolean;
  instance: NodeInstance | undefined;
  /** Each input's name, the position in the chain of the node it comes from (-1: none) and its socket. */
  inputs: readonly (readonly [name: string, at: number, socket: string])[];
}

/** A node's inputs (the first source of each socket) from the values computed so far. */
export function inputsOf(node: PlanNode, values: Map<string, Record<string, Value>>): Record<string, Value | undefined> {
  const inputs: Record<string, Value | undefined> = {};
  for (const [name, s] of inputSources(node)) inputs[name] = s ? values.get(s.node)?.[s.socket] : undefined;
  return inputs;
}

/** Where each of a node's inputs comes from: its socket's first source (none when unwired). */
function inputSources(node: PlanNode): [name: string, source: { node: string; socket: string } | undefined][] {
  return Object.entries(node.inputs).map(([name, sources]) => [name, sources[0]]);
}
