import type { Catalog, KindSpec } from './catalog';
import { limits } from './limits';
import { checkActivationMemory, type ActivationInputs } from './memory';
import { checkParam, type ParamValue } from './params';
import type { Problem } from './problems';
import type { GraphDoc, GraphEdge, GraphNode } from './schema';
import type { InferResult, Shape } from './shapes';
import { canConnect } from './sockets';
import { errorMessage } from '../lib/error-message';

/** What validation learned about a graph: its problems, an execution order and every socket's shape. */
export interface GraphCheck {
  problems: Problem[];
  /** Node ids in topological order (empty when the graph has a cycle). */
  order: string[];
  /** Output shapes by node id, then socket. */
  shapes: Map<string, Record<string, Shape>>;
  /** Trainable parameters per node, and in all. */
  paramCounts: Map<string, number>;
  totalParams: number;
  /** Edges into each node, by input socket. */
  incoming: Map<string, Map<string, GraphEdge[]>>;
  /** What the activation-memory estimate reads (absent for a graph with a cycle). */
  memory?: ActivationInputs;
}

const nodePath = (i: number) => `nodes[${i}]`;

/** The problem of a graph with nodes but no trainer: Train has nothing to do. */
export const nothingToTrain = 'nothing to train: add a trainer (train.optimizer) and connect a loss to it';

/** Semantic checks of a schema-valid document against the node kinds it uses. Never throws. */
export function validateGraph(doc: GraphDoc, catalog: Catalog): GraphCheck {
  const problems: Problem[] = [];
  const index = new Map<string, { node: GraphNode; i: number; spec?: KindSpec }>();
  doc.nodes.forEach((node, i) => {
    const spec = catalog.get(node.kind);
    const at = { nodeId: node.id, kind: node.kind };
    if (index.has(node.id)) {
      problems.push({ severity: 'error', path: `${nodePath(i)}.id`, ...at, message: `the id "${node.id}" is used by another node too; ids must be unique` });
      return;
    }
    index.set(node.id, { node, i, spec });
    if (!spec) {
      problems.push({ severity: 'error', path: `${nodePath(i)}.kind`, ...at, message: `unknown node kind "${node.kind}": kept as a placeholder with its settings; replace or remove it to run the graph` });
      return;
    }
    if (node.kindVersion !== spec.version) return; // reported by the loader (newer, or not upgradable)
    checkNodeParams(node, i, spec, problems);
  });

  const singletons = new Map<string, string>();
  for (const { node, i, spec } of index.values()) {
    if (!spec?.singleton) continue;
    const first = singletons.get(spec.kind);
    if (first !== undefined) {
      problems.push({ severity: 'error', path: nodePath(i), nodeId: node.id, kind: node.kind, message: `a graph can have only one ${spec.title} node; "${first}" is one already` });
    } else singletons.set(spec.kind, node.id);
  }

  if (!doc.nodes.some((n) => catalog.get(n.kind)?.category === 'train') && doc.nodes.some((n) => catalog.get(n.kind)?.category !== 'note')) {
    problems.push({ severity: 'warning', path: 'nodes', message: nothingToTrain });
  }

  const incoming = new Map<string, Map<string, GraphEdge[]>>();
  const outgoing = new Map<string, string[]>();
  const edgeIds = new Set<string>();
  /** Inputs an edge was meant for but refused: their "not connected" would only repeat it. */
  const refused = new Set<string>();
  doc.edges.forEach((edge, j) => {
    const path = `edges[${j}]`;
    const at = { edgeId: edge.id };
    if (edgeIds.has(edge.id)) {
      problems.push({ severity: 'error', path: `${path}.id`, ...at, message: `the id "${edge.id}" is used by another edge too; ids must be unique` });
      return;
    }
    edgeIds.add(edge.id);
    const from = index.get(edge.from.node);
    const to = index.get(edge.to.node);
    refused.add(`${edge.to.node}\u0000${edge.to.socket}`);
    if (!from) return void problems.push({ severity: 'error', path: `${path}.from.node`, ...at, message: `comes from node "${edge.from.node}", which is not in the graph` });
    if (!to) return void problems.push({ severity: 'error', path: `${path}.to.node`, ...at, message: `goes to node "${edge.to.node}", which is not in the graph` });
    const out = from.spec ? from.spec.outputs[edge.from.socket] : undefined;
    const inp = to.spec ? to.spec.inputs[edge.to.socket] : undefined;
    if (from.spec && !Object.hasOwn(from.spec.outputs, edge.from.socket)) {
      return void problems.push({ severity: 'error', path: `${path}.from.socket`, ...at, nodeId: from.node.id, kind: from.node.kind, socket: edge.from.socket,
        message: `has no output "${edge.from.socket}" (edge "${edge.id}"); outputs: ${Object.keys(from.spec.outputs).join(', ') || 'none'}` });
    }
    if (to.spec && !Object.hasOwn(to.spec.inputs, edge.to.socket)) {
      return void problems.push({ severity: 'error', path: `${path}.to.socket`, ...at, nodeId: to.node.id, kind: to.node.kind, socket: edge.to.socket,
        message: `has no input "${edge.to.socket}" (edge "${edge.id}"); inputs: ${Object.keys(to.spec.inputs).join(', ') || 'none'}` });
    }
    if (out && inp && !canConnect(out.type, inp.type)) {
      problems.push({ severity: 'error', path, ...at, nodeId: to.node.id, kind: to.node.kind, socket: edge.to.socket,
        message: `input "${edge.to.socket}" takes a ${inp.type}, but edge "${edge.id}" brings a ${out.type} from "${from.node.id}".${edge.from.socket}` });
      return;
    }
    let byInput = incoming.get(to.node.id);
    if (!byInput) incoming.set(to.node.id, (byInput = new Map()));
    const list = byInput.get(edge.to.socket) ?? [];
    if (list.length > 0 && !inp?.multi && to.spec) {
      problems.push({ severity: 'error', path, ...at, nodeId: to.node.id, kind: to.node.kind, socket: edge.to.socket,
        message: `edge "${edge.id}" is refused: input "${edge.to.socket}" takes only one edge, and edge "${list[0]!.id}" is connected to it already` });
      return;
    }
    list.push(edge);
    byInput.set(edge.to.socket, list);
    refused.delete(`${edge.to.node}\u0000${edge.to.socket}`);
    outgoing.set(from.node.id, [...(outgoing.get(from.node.id) ?? []), to.node.id]);
  });

  for (const { node, i, spec } of index.values()) {
    if (!spec) continue;
    for (const [name, sock] of Object.entries(spec.inputs)) {
      if (!sock.optional && !(incoming.get(node.id)?.get(name)?.length) && !refused.has(`${node.id}\u0000${name}`)) {
        problems.push({ severity: 'error', path: nodePath(i), nodeId: node.id, kind: node.kind, socket: name, message: `input "${name}" (${sock.type}) is not connected` });
      }
    }
  }

  const order = topologicalOrder([...index.keys()], outgoing);
  if (order.length < index.size) {
    for (const cycle of cyclesLeft(index, order, outgoing)) {
      cycle.forEach((id, k) => {
        const { node, i } = index.get(id)!;
        // The cycle is named once, shortened: output stays small however long the cycle is.
        problems.push({ severity: 'error', path: nodePath(i), nodeId: id, kind: node.kind,
          message: k === 0 ? `is part of a cycle (${cycleText(cycle)}); data must flow one way` : `is part of the cycle through node "${cycle[0]}"` });
      });
    }
    return { problems, order: [], shapes: new Map(), paramCounts: new Map(), totalParams: 0, incoming };
  }

  const { shapes, paramCounts, totalParams, memory } = inferShapes(order, index, incoming, problems);
  const tooMuch = totalParams <= limits.totalParams ? checkActivationMemory(memory) : null;
  if (tooMuch) problems.push(tooMuch);
  return { problems, order, shapes, paramCounts, totalParams, incoming, memory };
}

function checkNodeParams(node: GraphNode, i: number, spec: KindSpec, problems: Problem[]): void {
  const params = node.params as Record<string, unknown>;
  for (const [name, ps] of Object.entries(spec.params)) {
    for (const issue of checkParam(ps, params[name])) {
      const sub = issue.index === undefined ? '' : `[${issue.index}]`;
      problems.push({ severity: 'error', path: `${nodePath(i)}.params.${name}${sub}`, nodeId: node.id, kind: node.kind, param: name,
        message: `params.${name}${sub} ${issue.message}` });
    }
  }
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(spec.params, name)) {
      problems.push({ severity: 'warning', path: `${nodePath(i)}.params.${name}`, nodeId: node.id, kind: node.kind, param: name,
        message: `params.${name} is not a setting of ${spec.kind}; it is kept but ignored` });
    }
  }
}

/** At most this many ids name a cycle in a message. */
const cycleIdsShown = 4;

/** `a → b → c → a`, or `a → b → c → d → … (500 nodes) → a`. */
function cycleText(cycle: readonly string[]): string {
  const shown = cycle.length <= cycleIdsShown + 1 ? cycle : [...cycle.slice(0, cycleIdsShown), `… (${cycle.length} nodes)`];
  return [...shown, cycle[0]].join(' → ');
}

/**
 * The cycles among the nodes a topological order left out, each once, in edge order. (Nodes that
 * are only downstream of a cycle are left out too; they are not part of one and get no problem.)
 * Every left-out node has a left-out predecessor, so walking predecessors always closes a loop.
 */
function cyclesLeft(index: Map<string, unknown>, order: readonly string[], outgoing: Map<string, string[]>): string[][] {
  const ordered = new Set(order);
  const left = [...index.keys()].filter((id) => !ordered.has(id));
  const leftSet = new Set(left);
  const predecessor = new Map<string, string>();
  for (const [from, targets] of outgoing) {
    if (!leftSet.has(from)) continue;
    for (const t of targets) if (leftSet.has(t) && !predecessor.has(t)) predecessor.set(t, from);
  }
  const done = new Set<string>();
  const cycles: string[][] = [];
  for (const start of left) {
    const walk: string[] = [];
    const at = new Map<string, number>();
    let id: string | undefined = start;
    while (id !== undefined && !done.has(id) && !at.has(id)) {
      at.set(id, walk.length);
      walk.push(id);
      id = predecessor.get(id);
    }
    for (const w of walk) done.add(w);
    if (id === undefined || !at.has(id)) continue; // reached a cycle already named
    const cycle = walk.slice(at.get(id)!).reverse();
    const k = cycle.indexOf(left.find((x) => cycle.includes(x))!); // start at its first node in the file
    cycles.push([...cycle.slice(k), ...cycle.slice(0, k)]);
  }
  return cycles;
}

function topologicalOrder(ids: string[], outgoing: Map<string, string[]>): string[] {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const targets of outgoing.values()) for (const t of targets) indegree.set(t, (indegree.get(t) ?? 0) + 1);
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const t of outgoing.get(id) ?? []) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  return order;
}

function inferShapes(
  order: string[],
  index: Map<string, { node: GraphNode; i: number; spec?: KindSpec }>,
  incoming: Map<string, Map<string, GraphEdge[]>>,
  problems: Problem[],
) {
  const shapes = new Map<string, Record<string, Shape>>();
  const paramCounts = new Map<string, number>();
  let totalParams = 0;
  const memory: ActivationInputs = { shapes, hidden: new Map() };
  const paramsBad = new Set(problems.filter((p) => p.param !== undefined && p.severity === 'error').map((p) => p.nodeId));
  for (const id of order) {
    const { node, i, spec } = index.get(id)!;
    if (!spec || node.kindVersion !== spec.version || paramsBad.has(id)) continue;
    const inputs: Record<string, Shape | undefined> = {};
    let missing = false;
    for (const [name, sock] of Object.entries(spec.inputs)) {
      const edge = incoming.get(id)?.get(name)?.[0];
      const shape = edge ? shapes.get(edge.from.node)?.[edge.from.socket] : undefined;
      if (edge && !shape) missing = true; // upstream unknown: say nothing more here
      if (!edge && !sock.optional) missing = true;
      inputs[name] = shape;
    }
    if (missing || !spec.infer) continue;
    let result: InferResult;
    try {
      result = spec.infer(inputs, node.params as Record<string, ParamValue>);
    } catch (e) {
      problems.push({ severity: 'error', path: nodePath(i), nodeId: id, kind: node.kind, message: `could not work out its shapes (${errorMessage(e)})` });
      continue;
    }
    for (const issue of result.issues ?? []) {
      const upstream = issue.blameUpstreamOf ? incoming.get(id)?.get(issue.blameUpstreamOf)?.[0] : undefined;
      const blamed = upstream ? index.get(upstream.from.node) : undefined;
      if (blamed) {
        problems.push({ severity: 'error', path: issue.blameParam ? `${nodePath(blamed.i)}.params.${issue.blameParam}` : nodePath(blamed.i),
          nodeId: blamed.node.id, kind: blamed.node.kind, param: issue.blameParam, socket: upstream!.from.socket, message: issue.message });
      } else {
        problems.push({ severity: 'error', path: issue.param ? `${nodePath(i)}.params.${issue.param}` : nodePath(i), nodeId: id, kind: node.kind,
          socket: issue.socket, param: issue.param, message: issue.message });
      }
    }
    shapes.set(id, result.outputs);
    if (result.hidden) memory.hidden.set(id, result.hidden);
    if (result.batchSize !== undefined) memory.batch = { nodeId: id, kind: node.kind, path: nodePath(i), size: result.batchSize };
    const count = result.paramCount ?? 0;
    paramCounts.set(id, count);
    totalParams += count;
    if (totalParams > limits.totalParams) {
      problems.push({ severity: 'error', path: nodePath(i), nodeId: id, kind: node.kind,
        message: `the graph would have ${totalParams.toLocaleString('en-US')} trainable parameters with this node (${count.toLocaleString('en-US')} here); the limit is ${limits.totalParams.toLocaleString('en-US')}` });
      break;
    }
  }
  return { shapes, paramCounts, totalParams, memory };
}
