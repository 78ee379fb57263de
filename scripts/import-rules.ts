/**
 * The layering rules of docs/ARCHITECTURE.md, checked: which folder may import which, and which modules
 * must stay free of tfjs (everything the UI thread loads). `npm test` runs them
 * (test/architecture.node.test.ts); `npx tsx scripts/import-rules.ts` prints the violations.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export type Layer = 'lib' | 'graph' | 'nodes' | 'runtime' | 'store' | 'editor' | 'ui' | 'cli' | 'app';

/** What each layer may import (type-only imports included: layering is about knowledge, not bytes). */
export const mayImport: Record<Layer, readonly Layer[]> = {
  lib: ['lib'],
  graph: ['lib', 'graph'],
  nodes: ['lib', 'graph', 'nodes'],
  runtime: ['lib', 'graph', 'nodes', 'runtime'],
  store: ['lib', 'graph', 'store'],
  editor: ['lib', 'graph', 'editor'],
  ui: ['lib', 'graph', 'editor', 'store', 'runtime', 'nodes', 'ui'],
  cli: ['lib', 'graph', 'nodes', 'runtime', 'store', 'cli'],
  app: ['lib', 'graph', 'nodes', 'runtime', 'store', 'editor', 'ui'],
};

/**
 * Layers whose modules the UI thread loads: none may reach tfjs through value imports, directly or
 * through what they import (type-only imports are erased and allowed). The node kinds (the catalog the
 * page loads) compute with the tfjs the runtime binds (nodes/tfjs.ts); the page (src/main.ts) loads none. The runtime's tfjs-free entry
 * (src/runtime/core.ts) counts as UI thread too; the UI-thread half of the Worker boundary is
 * src/ui/worker-run.ts, checked with the rest of src/ui.
 */
export const tfjsFree: readonly Layer[] = ['lib', 'graph', 'nodes', 'store', 'editor', 'ui', 'app'];
export const tfjsFreeFiles: readonly string[] = ['src/runtime/core.ts'];
/**
 * Dynamic imports that may load tfjs from a UI-thread module, as a separate chunk on first use: the tfjs
 * Layers export (Share → tfjs Layers model). Listed so that no other module does it by accident.
 */
export const lazyTfjs: readonly string[] = ['src/ui/runtime-lazy.ts → src/runtime/index.ts'];
/** Value imports from src/ui may reach `nodes/` only in these modules (plain data types and helpers). */
export const uiNodesModules: readonly string[] = ['nodes/results.ts'];

export function layerOf(path: string): Layer | null {
  if (path === 'src/main.ts') return 'app';
  const m = /^src\/(lib|graph|runtime|store|editor|ui|cli)\//.exec(path);
  if (m) return m[1] as Layer;
  if (path.startsWith('nodes/')) return 'nodes';
  return null;
}

export interface ImportRef { from: string; spec: string; target: string | null; typeOnly: boolean; dynamic: boolean }
export interface SourceFile { path: string; text: string }
export interface Violation { file: string; spec: string; message: string }

/** Every import and re-export of a file, with whether it is erased at run time. */
export function importsOf(file: SourceFile, exists: (p: string) => boolean): ImportRef[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic = false) => out.push({ from: file.path, spec, target: resolve(file.path, spec, exists), typeOnly, dynamic });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      add(node.moduleSpecifier.text, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** A relative specifier to a repo path (extensionless imports: `.ts`, then `/index.ts`); packages stay null. */
function resolve(from: string, spec: string, exists: (p: string) => boolean): string | null {
  if (!spec.startsWith('.')) return null;
  const base = normalize(join(dirname(from), spec)).replace(/\\/g, '/');
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (/\.[mc]?[jt]s$/.test(candidate) && exists(candidate)) return candidate;
  return `${base}.ts`;
}

/** The violations of the rules in a set of files (paths relative to the repo root). */
export function checkImports(files: readonly SourceFile[]): Violation[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const imports = new Map(files.map((f) => [f.path, importsOf(f, (p) => byPath.has(p))]));
  const violations: Violation[] = [];
  for (const f of files) {
    const layer = layerOf(f.path);
    if (!layer) continue;
    for (const ref of imports.get(f.path)!) {
      if (!ref.target) continue;
      const to = layerOf(ref.target);
      if (to && !mayImport[layer].includes(to)) {
        violations.push({ file: f.path, spec: ref.spec, message: `${layer} may not import ${to} (${ref.target})` });
      } else if (layer === 'ui' && to === 'nodes' && !ref.typeOnly && !uiNodesModules.includes(ref.target)) {
        violations.push({ file: f.path, spec: ref.spec, message: `ui may import node kinds' types only, not ${ref.target}` });
      }
    }
  }
  // tfjs closure: a value import chain from a UI-thread module to @tensorflow/*.
  const reachesTf = new Map<string, string[] | null>();
  const chainToTf = (path: string, seen: Set<string>): string[] | null => {
    if (reachesTf.has(path)) return reachesTf.get(path)!;
    if (seen.has(path)) return null;
    seen.add(path);
    let found: string[] | null = null;
    for (const ref of imports.get(path) ?? []) {
      if (ref.typeOnly || (ref.dynamic && lazyTfjs.includes(`${path} → ${ref.target}`))) continue;
      if (ref.spec.startsWith('@tensorflow/')) { found = [ref.spec]; break; }
      if (ref.target && byPath.has(ref.target)) {
        const sub = chainToTf(ref.target, seen);
        if (sub) { found = [ref.target, ...sub]; break; }
      }
    }
    reachesTf.set(path, found);
    return found;
  };
  for (const f of files) {
    const layer = layerOf(f.path);
    if (!(layer && tfjsFree.includes(layer)) && !tfjsFreeFiles.includes(f.path)) continue;
    const chain = chainToTf(f.path, new Set());
    if (chain) violations.push({ file: f.path, spec: chain[0]!, message: `loads tfjs on the UI thread: ${[f.path, ...chain].join(' → ')}` });
  }
  return violations;
}

/** The project's TypeScript sources (src/ and nodes/). */
export function projectSources(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push({ path: relative(root, p).replace(/\\/g, '/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'nodes'));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const violations = checkImports(projectSources(root));
  for (const v of violations) console.log(`${v.file}: import '${v.spec}': ${v.message}`);
  console.log(violations.length ? `${violations.length} import rule violation(s)` : 'import rules: ok');
  process.exit(violations.length ? 1 : 0);
}
