/**
 * A small printer for Python source: blocks indent by four spaces, values print as Python literals,
 * names become valid identifiers. The PyTorch export builds its files with it (never by pasting strings
 * with hand-made indentation).
 */

/** A Python value: JSON plus tuples; `PyExpr` passes code through unquoted. */
export type PyValue = null | boolean | number | string | PyExpr | PyTuple | readonly PyValue[] | { readonly [key: string]: PyValue };

export class PyExpr {
  constructor(readonly code: string) {}
}
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}
/** Code, printed as it is. */
export const expr = (code: string) => new PyExpr(code);
export const tuple = (...items: PyValue[]) => new PyTuple(items);

/**
 * Text as the inside of a double-quoted Python string (`"..."` or `"""..."""`): backslashes and quotes
 * escaped, every control character as `\xNN` (Python source cannot hold a NUL; a raw CR ends a line),
 * so no text, however hostile, can end the string early or change its meaning. A docstring keeps its
 * line breaks (`newlines: 'keep'`) and its lone quotes (only a quote that could close the string is
 * escaped); the one escape of every string the export writes (issue 13: a graph title reached
 * model.py's docstring raw and could run code when it was imported).
 */
function pyStringBody(s: string, newlines: 'escape' | 'keep'): string {
  let out = '';
  const chars = [...s];
  for (const [i, ch] of chars.entries()) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += newlines === 'escape' || chars[i + 1] === '"' || i === chars.length - 1 ? '\\"' : '"';
    else if (ch === '\n') out += newlines === 'keep' ? '\n' : '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A Python string literal (double-quoted, escaped). */
export function pyString(s: string): string {
  return `"${pyStringBody(s, 'escape')}"`;
}

/** A number as Python reads it back exactly: integers stay integers, floats keep a point or exponent. */
export function pyNumber(n: number, float = false): string {
  if (Number.isNaN(n)) return 'float("nan")';
  if (!Number.isFinite(n)) return n > 0 ? 'float("inf")' : '-float("inf")';
  const s = String(n);
  if (!float || /[.e]/.test(s)) return s;
  return `${s}.0`;
}

/** A value as a Python literal on one line. */
export function pyLiteral(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyString(v);
  if (v instanceof PyExpr) return v.code;
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyLiteral(v.items[0]!)},)` : `(${v.items.map(pyLiteral).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(', ')}]`;
  const entries = Object.entries(v as Record<string, PyValue>);
  return `{${entries.map(([k, x]) => `${pyString(k)}: ${pyLiteral(x)}`).join(', ')}}`;
}

/** A call with keyword arguments: `f(a, b, key=value)`; `undefined` keywords are left out. */
export function pyCall(fn: string, args: readonly PyValue[], kwargs: Record<string, PyValue | undefined> = {}): string {
  const parts = [...args.map(pyLiteral), ...Object.entries(kwargs).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${pyLiteral(v!)}`)];
  return `${fn}(${parts.join(', ')})`;
}

const keywords = new Set(('False None True and as assert async await break class continue def del elif else except finally for from ' +
  'global if import in is lambda nonlocal not or pass raise return try while with yield match case type').split(' '));

/**
 * Valid, distinct Python identifiers for some names (node ids): other characters become `_`; a leading
 * digit, a leading `_` (Python's private names: `__init__`, nn.Module's `_modules`) or a keyword gets
 * `n_` in front, and names taken (`reserved`, or an earlier name) get a number.
 */
export function pyIdentifiers(names: readonly string[], reserved: Iterable<string> = []): Map<string, string> {
  const taken = new Set<string>(reserved);
  const out = new Map<string, string>();
  for (const name of names) {
    let id = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (id === '' || /^[0-9_]/.test(id) || keywords.has(id)) id = `n_${id}`;
    let unique = id;
    for (let i = 2; taken.has(unique); i++) unique = `${id}_${i}`;
    taken.add(unique);
    out.set(name, unique);
  }
  return out;
}

/** Python source, written line by line; `block` indents its body by four spaces. */
export class PyWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  /** One or more lines at the current indentation (a multi-line string is split). */
  line(...text: string[]): this {
    for (const t of text) for (const l of t.split('\n')) this.lines.push(l === '' ? '' : '    '.repeat(this.depth) + l);
    return this;
  }

  /** Ends with `count` empty lines (PEP 8: two around top-level definitions, one inside a class); none at the start. */
  blank(count = 1): this {
    if (!this.lines.length) return this;
    let have = 0;
    while (have < this.lines.length && this.lines[this.lines.length - 1 - have] === '') have++;
    for (let i = have; i < count; i++) this.lines.push('');
    return this;
  }

  /** `header:` and its body, indented; an empty body prints `pass`. */
  block(header: string, body: (w: this) => void): this {
    this.line(`${header}:`);
    this.depth++;
    const before = this.lines.length;
    body(this);
    if (this.lines.length === before) this.line('pass');
    this.depth--;
    return this;
  }

  /** A docstring at the current indentation (its text escaped: `pyStringBody`). */
  doc(text: string): this {
    const lines = pyStringBody(text.trim(), 'keep').split('\n');
    if (lines.length === 1) return this.line(`"""${lines[0]}"""`);
    this.line(`"""${lines[0]}`);
    for (const l of lines.slice(1)) this.line(l);
    return this.line('"""');
  }

  /** A comment (long text wrapped at about 96 columns). */
  comment(text: string): this {
    const words = text.split(/\s+/).map((w) => w.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)).filter(Boolean);
    let current = '#';
    for (const word of words) {
      if (current.length + word.length + 1 > 96 && current !== '#') {
        this.line(current);
        current = '#';
      }
      current += ` ${word}`;
    }
    return this.line(current);
  }

  /** `name = value`, a long dict or list spread one item a line. */
  assign(name: string, value: PyValue): this {
    const one = `${name} = ${pyLiteral(value)}`;
    if (one.length <= 100 || value === null || typeof value !== 'object' || value instanceof PyExpr || value instanceof PyTuple) return this.line(one);
    if (Array.isArray(value)) {
      this.line(`${name} = [`);
      this.depth++;
      for (const item of value) this.line(`${pyLiteral(item)},`);
      this.depth--;
      return this.line(']');
    }
    this.line(`${name} = {`);
    this.depth++;
    for (const [k, v] of Object.entries(value as Record<string, PyValue>)) this.line(`${pyString(k)}: ${pyLiteral(v)},`);
    this.depth--;
    return this.line('}');
  }

  toString(): string {
    const lines = [...this.lines];
    while (lines.at(-1) === '') lines.pop();
    return `${lines.join('\n')}\n`;
  }
}
