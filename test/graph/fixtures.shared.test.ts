// Every broken graph file in test/fixtures/broken/ says exactly what is wrong and where:
// one fixture per kind of failure, each with the Problem a user must see.
import { expect } from '@esm-bundle/chai';
import { formatProblem, loadGraph, saveGraph, type LoadResult, type Problem, type Severity } from '../../src/graph';
import { registry } from '../../nodes';
import { readFixture } from '../helpers/read-fixture';

/** A Problem the file must produce; unnamed optional fields must be absent on the problem. */
interface Expected {
  severity: Severity;
  path: string;
  messageIncludes: string;
  nodeId?: string;
  kind?: string;
  param?: string;
  socket?: string;
  edgeId?: string;
}

interface Case {
  file: string;
  /** The doc is null when the file cannot be read as a graph at all. */
  docNull: boolean;
  /** How many error-severity problems in all (the expected ones plus any listed consequences). */
  errors: number;
  warnings?: number;
  problems: Expected[];
  /** More about what the loaded result keeps. */
  also?: (r: LoadResult, text: string) => void;
}

const idChars = 'must be 1 to 64 letters, digits or _ . : - (not starting with . : -)';

const cases: Case[] = [
  { file: 'not-json.txt', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: '', messageIncludes: 'the file is not valid JSON' }] },
  { file: 'empty.txt', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: '', messageIncludes: 'the file is not valid JSON' }] },
  { file: 'array-not-object.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: '', messageIncludes: 'is not a latentflow graph file (expected a JSON object)' }] },
  { file: 'wrong-format.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'format', messageIncludes: 'format must be "latentflow/graph"' }] },
  { file: 'missing-version.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'version', messageIncludes: 'no valid version number' }] },
  { file: 'version-as-text.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'version', messageIncludes: 'no valid version number' }] },
  { file: 'negative-version.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'version', messageIncludes: 'no valid version number' }] },
  { file: 'newer-version.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'version', messageIncludes: 'made by a newer latentflow (graph format version 99); this one reads up to version 1' }] },
  { file: 'nodes-not-array.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'nodes', messageIncludes: 'must be a list, got an object' }] },
  { file: 'too-many-nodes.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'nodes', messageIncludes: 'must have at most 500 nodes' }] },
  { file: 'node-without-id.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1].id', messageIncludes: 'is missing' }] },
  { file: 'bad-id-characters.json', docNull: true, errors: 3,
    problems: [
      { severity: 'error', path: 'nodes[1].id', messageIncludes: idChars },
      { severity: 'error', path: 'edges[0].to.node', edgeId: 'e1', messageIncludes: `to.node ${idChars}` },
      { severity: 'error', path: 'edges[1].from.node', edgeId: 'e2', messageIncludes: `from.node ${idChars}` },
    ] },
  { file: 'bad-kind-id.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1].kind', nodeId: 'enc', kind: 'Encoder Dense', messageIncludes: 'kind must look like family.variant (lowercase)' }] },
  { file: 'edge-endpoint-not-object.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'edges[2].to', edgeId: 'e3', messageIncludes: 'to must be an object, got "dec.z"' }] },
  { file: 'duplicate-node-id.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[6].id', nodeId: 'code', kind: 'latent.gaussian', messageIncludes: 'the id "code" is used by another node too' }] },
  // The second e5 is refused, so the view it would have fed is also reported unconnected.
  { file: 'duplicate-edge-id.json', docNull: false, errors: 2,
    problems: [
      { severity: 'error', path: 'edges[6].id', edgeId: 'e5', messageIncludes: 'the id "e5" is used by another edge too' },
      { severity: 'error', path: 'nodes[6]', nodeId: 'curve', kind: 'view.loss-curve', socket: 'metrics', messageIncludes: 'input "metrics" (metrics) is not connected' },
    ] },
  { file: 'unknown-kind.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[6].kind', nodeId: 'fancy', kind: 'view.tsne-3d', messageIncludes: 'unknown node kind "view.tsne-3d": kept as a placeholder' }],
    also: (r) => {
      const fancy = r.doc!.nodes[6]!;
      expect(fancy).to.deep.equal({ id: 'fancy', kind: 'view.tsne-3d', kindVersion: 4,
        params: { colors: ['red', 'blue'], perplexity: 30 }, ui: { position: [900, 40] } });
      expect(r.doc!.edges.map((e) => e.id)).to.include('e7');
      const again = loadGraph(saveGraph(r.doc!), registry).doc!;
      expect(again.nodes[6]).to.deep.equal(fancy);
    } },
  { file: 'newer-kind-version.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[2].kindVersion', nodeId: 'code', kind: 'latent.deterministic',
      messageIncludes: 'was made by a newer latentflow (latent.deterministic version 7; this one knows up to 1)' }],
    also: (r) => expect(r.doc!.nodes[2]).to.deep.include({ kindVersion: 7, params: { dim: 2 } }) },
  { file: 'param-out-of-range.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1].params.units[1]', nodeId: 'enc', kind: 'encoder.dense', param: 'units',
      messageIncludes: 'params.units[1] must be an integer from 1 to 4096, got -3' }] },
  { file: 'absurd-layer-units.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1].params.units[0]', nodeId: 'enc', kind: 'encoder.dense', param: 'units',
      messageIncludes: 'params.units[0] must be an integer from 1 to 4096, got 1000000000' }] },
  { file: 'absurd-total-params.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1]', nodeId: 'enc', kind: 'encoder.dense',
      messageIncludes: 'the graph would have 251,867,136 trainable parameters with this node (251,867,136 here); the limit is 50,000,000' }] },
  { file: 'param-wrong-type.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[2].params.dim', nodeId: 'code', kind: 'latent.deterministic', param: 'dim',
      messageIncludes: 'params.dim must be an integer from 1 to 512, got "two"' }] },
  { file: 'unknown-param.json', docNull: false, errors: 0, warnings: 1,
    problems: [{ severity: 'warning', path: 'nodes[1].params.unitz', nodeId: 'enc', kind: 'encoder.dense', param: 'unitz',
      messageIncludes: 'params.unitz is not a setting of encoder.dense; it is kept but ignored' }],
    also: (r) => expect(r.doc!.nodes[1]!.params.unitz).to.deep.equal([8]) },
  { file: 'bad-choice.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1].params.activation', nodeId: 'enc', kind: 'encoder.dense', param: 'activation',
      messageIncludes: 'params.activation must be one of sigmoid, tanh, relu, leaky-relu, elu, linear; got "swish"' }] },
  { file: 'activations-length-mismatch.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[1].params.activations', nodeId: 'enc', kind: 'encoder.dense', param: 'activations',
      messageIncludes: 'params.activations has 1 items but there are 2 layers' }] },
  // The refused edge leaves the loss without its target: that is reported too.
  // The refused edge is the one problem: its input does not also report "not connected".
  { file: 'dangling-edge.json', docNull: false, errors: 1,
    problems: [
      { severity: 'error', path: 'edges[4].from.node', edgeId: 'e5', messageIncludes: 'comes from node "dataset", which is not in the graph' },
    ] },
  { file: 'missing-socket.json', docNull: false, errors: 2,
    problems: [
      { severity: 'error', path: 'edges[6].to.socket', edgeId: 'e7', nodeId: 'curve', kind: 'view.loss-curve', socket: 'curve',
        messageIncludes: 'has no input "curve" (edge "e7"); inputs: metrics' },
      { severity: 'error', path: 'nodes[6]', nodeId: 'curve', kind: 'view.loss-curve', socket: 'metrics', messageIncludes: 'input "metrics" (metrics) is not connected' },
    ] },
  { file: 'socket-type-mismatch.json', docNull: false, errors: 1,
    problems: [
      { severity: 'error', path: 'edges[0]', edgeId: 'e1', nodeId: 'enc', kind: 'encoder.dense', socket: 'x',
        messageIncludes: 'input "x" takes a batch, but edge "e1" brings a loss from "recon".loss' },
    ] },
  { file: 'two-edges-one-input.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'edges[7]', edgeId: 'e8', nodeId: 'enc', kind: 'encoder.dense', socket: 'x',
      messageIncludes: 'edge "e8" is refused: input "x" takes only one edge, and edge "e1" is connected to it already' }] },
  { file: 'cycle.json', docNull: false, errors: 2,
    problems: [
      { severity: 'error', path: 'nodes[1]', nodeId: 'noiseA', kind: 'noise.salt-pepper', messageIncludes: 'is part of a cycle (noiseA → noiseB → noiseA)' },
      { severity: 'error', path: 'nodes[2]', nodeId: 'noiseB', kind: 'noise.gaussian', messageIncludes: 'is part of the cycle through node "noiseA"' },
    ],
    also: (r) => expect(r.check!.order).to.deep.equal([]) },
  { file: 'two-trainers.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[6]', nodeId: 'train2', kind: 'train.optimizer', messageIncludes: 'a graph can have only one Trainer node; "train" is one already' }] },
  { file: 'decoder-output-size-mismatch.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[3]', nodeId: 'dec', kind: 'decoder.dense', socket: 'x',
      messageIncludes: 'gives 30 values per sample, but the target has 35' }] },
  { file: 'kl-on-deterministic-latent.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[6]', nodeId: 'kl', kind: 'loss.kl', socket: 'z',
      messageIncludes: 'needs a gaussian latent (latent.gaussian): a deterministic code has no KL term' }] },
  { file: 'view-wrong-metrics.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[6]', nodeId: 'hist', kind: 'view.pixel-error-histogram', socket: 'metrics',
      messageIncludes: 'input "metrics" shows pixel-errors (from metric.pixel-error), but it is connected to curve' }] },
  { file: 'required-input-unconnected.json', docNull: false, errors: 1,
    problems: [{ severity: 'error', path: 'nodes[4]', nodeId: 'recon', kind: 'loss.reconstruction', socket: 'target', messageIncludes: 'input "target" (batch) is not connected' }] },
  { file: 'proto-key.json', docNull: false, errors: 0, warnings: 3,
    problems: [
      { severity: 'warning', path: '__proto__', messageIncludes: 'the field "__proto__" is not allowed and was dropped' },
      { severity: 'warning', path: 'nodes[1].params.__proto__', nodeId: 'enc', kind: 'encoder.dense', messageIncludes: 'the field "__proto__" is not allowed and was dropped' },
      { severity: 'warning', path: 'nodes[1].params.constructor', nodeId: 'enc', kind: 'encoder.dense', messageIncludes: 'the field "constructor" is not allowed and was dropped' },
    ],
    also: (r) => {
      const doc = r.doc!;
      expect(Object.getPrototypeOf(doc)).to.equal(Object.prototype);
      expect(Object.hasOwn(doc, '__proto__')).to.equal(false);
      expect(Object.keys(doc.nodes[1]!.params)).to.deep.equal(['units', 'activation', 'activations', 'init', 'dropout', 'batchNorm']);
      expect(Object.getPrototypeOf(doc.nodes[1]!.params)).to.equal(Object.prototype);
      expect(saveGraph(doc)).not.to.include('polluted');
    } },
  { file: 'deep-nesting.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: `meta.extra${'[0]'.repeat(30)}`, messageIncludes: 'is nested too deeply (more than 32 levels)' }] },
  { file: 'huge-string.json', docNull: true, errors: 1,
    problems: [{ severity: 'error', path: 'meta.notes', messageIncludes: 'text is too long (25000 characters, at most 20000)' }] },
];

/** The raw list entry a `nodes[i]…` or `edges[j]…` path points into, if the file has one. */
function rawEntry(text: string, path: string): Record<string, unknown> | undefined {
  const m = /^(nodes|edges)\[(\d+)\]/.exec(path);
  if (!m) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = (raw as Record<string, unknown> | null)?.[m[1]!];
  const item = Array.isArray(list) ? list[Number(m[2])] : undefined;
  return item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
}

const pollutionProbe = () => ({}) as Record<string, unknown>;

describe('broken graph files (test/fixtures/broken)', () => {
  for (const c of cases) {
    it(`${c.file}: ${c.problems[0]!.messageIncludes}`, async () => {
      const text = await readFixture(`broken/${c.file}`);
      const r = loadGraph(text, registry);

      expect(r.doc === null, 'doc is null').to.equal(c.docNull);
      for (const want of c.problems) {
        const found = r.problems.filter((p) => p.path === want.path && p.message.includes(want.messageIncludes));
        expect(found, `a problem at "${want.path}" saying "${want.messageIncludes}"; got:\n${r.problems.map(formatProblem).join('\n')}`).to.have.length(1);
        const p = found[0]!;
        expect({ severity: p.severity, nodeId: p.nodeId, kind: p.kind, param: p.param, socket: p.socket, edgeId: p.edgeId })
          .to.deep.equal({ severity: want.severity, nodeId: want.nodeId, kind: want.kind, param: want.param, socket: want.socket, edgeId: want.edgeId });
      }
      const count = (s: Severity) => r.problems.filter((p) => p.severity === s).length;
      expect(count('error'), `errors:\n${r.problems.map(formatProblem).join('\n')}`).to.equal(c.errors);
      expect(count('warning'), 'warnings').to.equal(c.warnings ?? 0);
      c.also?.(r, text);
    });
  }

  it('every problem names its place consistently and reads as one line', async () => {
    for (const c of cases) {
      const text = await readFixture(`broken/${c.file}`);
      for (const p of loadGraph(text, registry).problems as Problem[]) {
        const line = formatProblem(p);
        expect(line, c.file).not.to.match(/\n|\[object Object\]|NaN/);
        expect(p.message.length, c.file).to.be.within(1, 400);
        // A problem on a node or an edge points into that very entry of the file.
        const entry = rawEntry(text, p.path);
        if (p.nodeId !== undefined && p.path.startsWith('nodes[')) expect(entry?.id, `${c.file}: ${p.path}`).to.equal(p.nodeId);
        if (p.edgeId !== undefined && p.path.startsWith('edges[')) expect(entry?.id, `${c.file}: ${p.path}`).to.equal(p.edgeId);
      }
    }
  });

  // Known bug in src/graph/load.ts `schemaProblem` (see the test report): schema problems on an entry
  // without an id, or outside nodes/edges, repeat their path inside the message (`nodes: nodes: …`,
  // `nodes[1].id: nodes[1] id: …`), and a missing field reads `Expected "id" but received undefined`.
  // Unskip once fixed.
  it('schema problems say their place once and call a missing field missing', async () => {
    for (const file of ['node-without-id.json', 'nodes-not-array.json', 'too-many-nodes.json']) {
      const p = loadGraph(await readFixture(`broken/${file}`), registry).problems[0]!;
      expect(p.message, file).not.to.match(/^(nodes|edges)(\[\d+\])?[ :.]/);
      expect(p.message, file).not.to.include('undefined');
    }
  });

  it('loading them never touches Object.prototype', async () => {
    for (const c of cases) loadGraph(await readFixture(`broken/${c.file}`), registry);
    expect(pollutionProbe().polluted).to.equal(undefined);
    expect(Object.keys(Object.prototype)).to.deep.equal([]);
  });
});
