import * as v from 'valibot';
import type { Catalog } from './catalog';
import { documentMigrations, renameReservedIds } from './migrations';
import { defaultOf } from './params';
import type { Problem } from './problems';
import { parseJsonText, sanitize, type Json } from './sanitize';
import { currentVersion, graphDocSchema, graphFormat, issuePath, type GraphDoc } from './schema';
import { validateGraph, type GraphCheck } from './validate';
import { errorMessage } from '../lib/error-message';

export interface LoadResult {
  /** The document, migrated and with missing params filled; null when the file cannot be read as a graph. */
  doc: GraphDoc | null;
  problems: Problem[];
  /** Shapes, order and parameter counts, when the document could be checked. */
  check?: GraphCheck;
}

type Obj = { [key: string]: Json };

/**
 * Reads a graph file: header → document migrations → node migrations → schema → semantic checks.
 * Never throws; everything wrong is a Problem with a path.
 */
export function loadGraph(input: string | unknown, catalog: Catalog): LoadResult {
  const problems: Problem[] = [];
  const raw = typeof input === 'string' ? parseJsonText(input, problems) : input;
  if (problems.length) return { doc: null, problems };
  const data = sanitize(raw, problems);
  placeOnNodes(problems, data);
  if (data === undefined) return { doc: null, problems };

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push({ severity: 'error', path: '', message: 'is not a latentflow graph file (expected a JSON object)' });
    return { doc: null, problems };
  }
  if (data.format !== graphFormat) {
    problems.push({ severity: 'error', path: 'format', message: `is not a latentflow graph file (format must be "${graphFormat}")` });
    return { doc: null, problems };
  }
  const version = data.version;
  // -0 is no version either: it would index the migrations as 0 and read the file as the v0 draft.
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || Object.is(version, -0)) {
    problems.push({ severity: 'error', path: 'version', message: 'the file has no valid version number' });
    return { doc: null, problems };
  }
  if (version > currentVersion) {
    problems.push({ severity: 'error', path: 'version',
      message: `the file was made by a newer latentflow (graph format version ${version}); this one reads up to version ${currentVersion}. Update latentflow to open it.` });
    return { doc: null, problems };
  }
  let doc: Obj = data;
  for (let n = version; n < currentVersion; n++) {
    const step = documentMigrations[n];
    if (!step) {
      problems.push({ severity: 'error', path: 'version', message: `no migration from graph format version ${n}` });
      return { doc: null, problems };
    }
    doc = step(doc);
  }
  doc = renameReservedIds(doc, problems);

  const parsed = v.safeParse(graphDocSchema, doc);
  if (!parsed.success) {
    for (const issue of parsed.issues) problems.push(schemaProblem(issue, doc));
    return { doc: null, problems };
  }
  const graph = parsed.output as GraphDoc;
  migrateNodesAndFillDefaults(graph, catalog, problems);
  const check = validateGraph(graph, catalog);
  problems.push(...check.problems);
  return { doc: graph, problems, check };
}

const typeWords: Record<string, string> = { Array: 'a list', Object: 'an object', string: 'text', number: 'a number', boolean: 'true or false' };

/** A valibot issue in words a student can act on, placed on its node or edge when it has one. */
/** Problems found while reading raw JSON (e.g. a dropped `__proto__`) go on the node they are in. */
function placeOnNodes(problems: Problem[], data: Json | undefined): void {
  const nodes = data && typeof data === 'object' && !Array.isArray(data) ? data.nodes : undefined;
  if (!Array.isArray(nodes)) return;
  for (const p of problems) {
    const m = /^nodes\[(\d+)\]/.exec(p.path);
    const node = m ? nodes[Number(m[1])] : undefined;
    if (node && typeof node === 'object' && !Array.isArray(node) && typeof node.id === 'string' && p.nodeId === undefined) {
      p.nodeId = node.id;
      if (typeof node.kind === 'string') p.kind = node.kind;
    }
  }
}

function schemaProblem(issue: v.BaseIssue<unknown>, doc: Obj): Problem {
  const path = issuePath(issue);
  const m = /^(nodes|edges)\[(\d+)\]/.exec(path);
  const list = m ? doc[m[1]!] : undefined;
  const item = Array.isArray(list) ? list[Number(m![2])] : undefined;
  const entry = item && typeof item === 'object' && !Array.isArray(item) ? item : undefined;
  const id = typeof entry?.id === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/.test(entry.id) ? entry.id : undefined;
  const kind = typeof entry?.kind === 'string' ? entry.kind : undefined;
  const field = m ? path.slice(m[0].length).replace(/^\./, '') : path;
  let what: string;
  if (issue.received === 'undefined') what = 'is missing';
  else if (issue.kind === 'schema') {
    const expected = (issue.expected ?? '').split(' | ').map((e) => typeWords[e] ?? e).join(' or ');
    what = `must be ${expected}, got ${typeWords[issue.received] ?? issue.received}`;
  } else what = issue.message.startsWith('must') ? issue.message : `is not valid (${issue.message})`;
  if (m?.[1] === 'nodes' && id !== undefined) return { severity: 'error', path, nodeId: id, kind, message: `${field || 'the node'} ${what}` };
  if (m?.[1] === 'edges' && id !== undefined) return { severity: 'error', path, edgeId: id, message: `${field || 'the edge'} ${what}` };
  return { severity: 'error', path, message: what };
}

function migrateNodesAndFillDefaults(graph: GraphDoc, catalog: Catalog, problems: Problem[]): void {
  graph.nodes.forEach((node, i) => {
    const spec = catalog.get(node.kind);
    if (!spec) return;
    const at = { nodeId: node.id, kind: node.kind, path: `nodes[${i}].kindVersion` };
    if (node.kindVersion > spec.version) {
      problems.push({ severity: 'error', ...at,
        message: `was made by a newer latentflow (${node.kind} version ${node.kindVersion}; this one knows up to ${spec.version}); kept as it is, but it cannot run` });
      return;
    }
    let params: Record<string, unknown> = node.params;
    for (let n = node.kindVersion; n < spec.version; n++) {
      const step = spec.migrations?.[n];
      if (!step) {
        problems.push({ severity: 'error', ...at, message: `cannot be upgraded from ${node.kind} version ${n}` });
        return;
      }
      try {
        params = step(params);
      } catch (e) {
        problems.push({ severity: 'error', ...at, message: `could not be upgraded from ${node.kind} version ${n} (${errorMessage(e)})` });
        return;
      }
    }
    node.kindVersion = spec.version;
    const filled: Record<string, unknown> = { ...params };
    for (const [name, ps] of Object.entries(spec.params)) {
      if (!Object.hasOwn(filled, name)) filled[name] = defaultOf(ps);
    }
    node.params = filled;
  });
}
