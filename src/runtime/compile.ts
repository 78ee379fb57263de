import { hashStructure, hasErrors, structureNodes, validateGraph, type ActivationInputs, type TypedCatalog, type GraphDoc, type Params, type Problem, type Shape } from '../graph';
import type { NodeKind } from '../../nodes/define';

/** One node as the runtime runs it. */
export interface PlanNode {
  id: string;
  kind: NodeKind;
  params: Params;
  /** Each input socket and the node/socket it reads from (all edges for a multi input). */
  inputs: Record<string, { node: string; socket: string }[]>;
  inShapes: Record<string, Shape | undefined>;
  outShapes: Record<string, Shape>;
}

/** A compiled graph: what to run, in which order, with which shapes. */
export interface Plan {
  doc: GraphDoc;
  /** Every node, in topological order. */
  nodes: PlanNode[];
  byId: Map<string, PlanNode>;
  trainerId: string | null;
  /** Nodes the training step runs (upstream of the trainer's losses), in order. */
  stepNodes: string[];
  datasetIds: string[];
  totalParams: number;
  /** Trainable weights of each node that has any. */
  paramCounts: Map<string, number>;
  /** Hash of everything that decides weight shapes: weights are stored and reused under it. */
  structureHash: string;
  problems: Problem[];
  /** What validation estimated activation memory from; a run checks it again once its data is loaded. */
  activation?: ActivationInputs;
}

export type CompileResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[] };

/** Validates a graph, orders it and infers every shape; any error-severity problem refuses it. */
export function compile(doc: GraphDoc, catalog: TypedCatalog<NodeKind>): CompileResult {
  const check = validateGraph(doc, catalog);
  if (hasErrors(check.problems)) return { ok: false, problems: check.problems };
  const planNodes: PlanNode[] = structureNodes(doc, catalog, check).map((n) => {
    const inShapes: PlanNode['inShapes'] = {};
    for (const [name, sources] of Object.entries(n.inputs)) {
      const first = sources[0];
      inShapes[name] = first ? check.shapes.get(first.node)?.[first.socket] : undefined;
    }
    return { ...n, inputs: n.inputs as PlanNode['inputs'], inShapes, outShapes: check.shapes.get(n.id) ?? {} };
  });
  const byId = new Map(planNodes.map((n) => [n.id, n]));
  const trainer = planNodes.find((n) => n.kind.category === 'train');
  const stepNodes = trainer ? ancestorsInOrder(trainer.id, planNodes, byId).filter((id) => id !== trainer.id) : [];
  return {
    ok: true,
    plan: {
      doc, nodes: planNodes, byId, trainerId: trainer?.id ?? null, stepNodes,
      datasetIds: planNodes.filter((n) => n.kind.category === 'dataset').map((n) => n.id),
      totalParams: check.totalParams, paramCounts: check.paramCounts, structureHash: hashStructure(planNodes), problems: check.problems, activation: check.memory,
    },
  };
}

/** The nodes `target` depends on (and itself), in plan order. */
export function ancestorsInOrder(target: string, nodes: readonly PlanNode[], byId: Map<string, PlanNode>): string[] {
  const need = new Set<string>();
  const visit = (id: string) => {
    if (need.has(id)) return;
    need.add(id);
    for (const sources of Object.values(byId.get(id)!.inputs)) for (const s of sources) visit(s.node);
  };
  visit(target);
  return nodes.filter((n) => need.has(n.id)).map((n) => n.id);
}

