/** Rewrites the preset graph files in canonical form (what saveGraph writes), so they round-trip byte for byte. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, loadGraph, saveGraph } from '../src/graph';
import { registry } from '../nodes';

const dir = join(import.meta.dirname, '..', 'graphs');
let failed = false;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const path = join(dir, name);
  const { doc, problems } = loadGraph(readFileSync(path, 'utf8'), registry);
  for (const p of problems) console.log(`${name}: ${formatProblem(p)}`);
  if (!doc) { failed = true; continue; }
  writeFileSync(path, saveGraph(doc));
}
process.exit(failed ? 1 : 0);
