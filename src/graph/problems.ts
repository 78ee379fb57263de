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

/**
 * What a terminal or a line of text would obey, or hide, instead of showing: controls (C0: ESC, CR,
 * LF, BEL…; DEL; C1: CSI, NEL), every format character (bidirectional overrides and isolates,
 * zero-width spaces and joiners, the BOM, soft hyphens, tag characters), line/paragraph separators,
 * and lone surrogates (a terminal shows U+FFFD, so two names would print alike).
 */
const unprintable = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** One character as JSON escapes (`\n`, `\u001b`, a pair for a character beyond U+FFFF): the same value in JSON text. */
function escapeChar(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Text safe to print as one line: every unprintable character becomes a JSON escape (`\n`,
 * `\u001b`, `\u202e`, `\u200b`), so a name cannot clear a screen, colour text, forge a line, reorder
 * it or hide in it, and JSON text stays JSON with the same value. The one escape function of
 * problems and the CLI.
 */
export function printable(text: string): string {
  return text.replace(unprintable, escapeChar);
}

/** One line a student can act on: `node "enc" (encoder.dense): params.units[1] must be …` (printable). */
export function formatProblem(p: Problem): string {
  const where = p.nodeId !== undefined
    ? `node ${JSON.stringify(p.nodeId)}${p.kind ? ` (${p.kind})` : ''}: `
    : p.edgeId !== undefined
      ? `edge ${JSON.stringify(p.edgeId)}: `
      : p.path ? `${p.path}: ` : '';
  const level = p.severity === 'error' ? '' : `${p.severity}: `;
  return printable(`${level}${where}${p.message}`);
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
