/** Where something is wrong in a graph, and what a person can do about it. Errors are values, not throws. */
export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  severity: Severity;
  /** JSON path into the file, e.g. `nodes[2].params.units[1]`; `` for the whole file. */
  path: string;
  message: string;
  nodeId?: string;
  /** The node's kind, when known, so messages can name it. */
  kind?: string;
  socket?: string;
  param?: string;
  edgeId?: string;
}

/** A problem that blocks running the graph. */
export function isBlocking(p: Problem): boolean {
  return p.severity === 'error';
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some(isBlocking);
}

/** One line a student can act on: `node "enc" (encoder.dense): params.units[1] must be …`. */
export function formatProblem(p: Problem): string {
  const where = p.nodeId !== undefined
    ? `node ${JSON.stringify(p.nodeId)}${p.kind ? ` (${p.kind})` : ''}: `
    : p.edgeId !== undefined
      ? `edge ${JSON.stringify(p.edgeId)}: `
      : p.path ? `${p.path}: ` : '';
  const level = p.severity === 'error' ? '' : `${p.severity}: `;
  return `${level}${where}${p.message}`;
}

/** Describes a bad value briefly and safely (bounded length, no raw dumps of huge input). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : String(value);
  if (typeof value === 'string') {
    const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(s);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length > 6 ? `a list of ${value.length} items` : `[${value.map(describeValue).join(', ')}]`;
  return 'an object';
}
