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
    return { params: this.live.get(id)!, mode, epoch, step, ...stepSeeds(this.seedBase.get(id)!, step, epoch, draw) };
  }

  /** Runs the chain in order; returns every node's outputs. `source` feeds each dataset node. */
  forwardChain(ids: readonly string[], mode: StepMode, step: number, source: (id: string) => tf.Tensor2D, draw?: number): Map<string, Record<string, Value>> {
    const values = new Map<string, Record<string, Value>>();
    for (const id of ids) {
      const node = this.plan.byId.get(id)!;
      if (this.datasetIds.has(id)) {
        values.set(id, { x: source(id) });
        continue;
      }
      const inst = this.instances.get(id);
      if (!inst) continue;
      values.set(id, inst.forward(inputsOf(node, values), this.stepContext(id, mode, step, draw)));
    }
    return values;
  }

  /**
   * One training step: the training step's nodes run in order inside one `optimizer.minimize`, so gradients
   * flow through the whole chain (ARCHITECTURE §4). The loss tensors to read back: the total, then each term
   * when there are several.
   */
  trainStep(optimizer: tf.Optimizer, trainer: PlanNode, step: number, batch: (id: string) => tf.Tensor2D): tf.Scalar[] {
    const kept: tf.Scalar[] = [];
    const total = optimizer.minimize(() => {
      const terms = lossTerms(trainer, this.forwardChain(this.plan.stepNodes, 'train', step, batch));
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
      const terms = lossTerms(trainer, this.forwardChain(this.plan.stepNodes, 'test', step, samples, -1 - epoch));
      return terms.length === 1 ? [terms[0]!] : [tf.addN(terms) as tf.Scalar, ...terms];
    });
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
  }
}

/** The trainer's loss terms among a forward pass's values, in the order of its `loss` input. */
function lossTerms(trainer: PlanNode, values: Map<string, Record<string, Value>>): tf.Scalar[] {
  return trainer.inputs.loss!.map((s) => (values.get(s.node)![s.socket] as { loss: tf.Scalar }).loss);
}

/** A node's inputs (the first source of each socket) from the values computed so far. */
export function inputsOf(node: PlanNode, values: Map<string, Record<string, Value>>): Record<string, Value | undefined> {
  const inputs: Record<string, Value | undefined> = {};
  for (const [name, sources] of Object.entries(node.inputs)) {
    const s = sources[0];
    inputs[name] = s ? values.get(s.node)?.[s.socket] : undefined;
  }
  return inputs;
}
