// The layering of docs/ARCHITECTURE.md holds in the repo, and the check catches planted violations.
import { expect } from '@esm-bundle/chai';
import { fileURLToPath } from 'node:url';
import { checkImports, projectSources, type SourceFile } from '../scripts/import-rules';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('import rules (docs/ARCHITECTURE.md)', () => {
  it('the repo follows them', () => {
    const files = projectSources(root);
    expect(files.length).to.be.greaterThan(100);
    expect(checkImports(files).map((v) => `${v.file}: ${v.message}`)).to.deep.equal([]);
  });

  const base: SourceFile[] = [
    { path: 'src/graph/index.ts', text: `export const x = 1;` },
    { path: 'src/runtime/run.ts', text: `import * as tf from '@tensorflow/tfjs';\nexport const run = tf;` },
    { path: 'src/runtime/types.ts', text: `import type { x } from '../graph';\nexport type T = typeof x;` },
    { path: 'nodes/define.ts', text: `import type * as tf from '@tensorflow/tfjs';\nexport type V = tf.Tensor;` },
    { path: 'nodes/results.ts', text: `export interface R { a: number }` },
  ];
  const planted = (path: string, text: string) => checkImports([...base, { path, text }]).map((v) => v.message);

  it('lets the store import only the graph layer, and the UI its allowed layers (type-only tfjs too)', () => {
    expect(planted('src/store/ok.ts', `import { x } from '../graph';\nimport type { T } from '../runtime/types';`)).to.deep.equal(['store may not import runtime (src/runtime/types.ts)']);
    expect(planted('src/ui/ok.ts', `import { x } from '../graph';\nimport type { T } from '../runtime/types';\nimport type * as tf from '@tensorflow/tfjs';\nimport type { R } from '../../nodes/results';`)).to.deep.equal([]);
  });

  it('refuses a folder the layer may not import', () => {
    expect(planted('src/graph/bad.ts', `import { run } from '../runtime/run';`)).to.include('graph may not import runtime (src/runtime/run.ts)');
    expect(planted('src/editor/bad.ts', `export { R } from '../../nodes/results';`)).to.deep.equal(['editor may not import nodes (nodes/results.ts)']);
  });

  it('refuses tfjs on the UI thread, directly or through a chain, but not type-only imports', () => {
    expect(planted('src/ui/bad.ts', `import * as tf from '@tensorflow/tfjs';`)).to.deep.equal(['loads tfjs on the UI thread: src/ui/bad.ts → @tensorflow/tfjs']);
    expect(planted('src/ui/bad.ts', `import { run } from '../runtime/run';`)).to.deep.equal(['loads tfjs on the UI thread: src/ui/bad.ts → src/runtime/run.ts → @tensorflow/tfjs']);
    expect(planted('src/ui/bad.ts', `const m = () => import('../runtime/run');`)).to.have.length(1);
    expect(planted('src/ui/fine.ts', `import { type T } from '../runtime/types';\ntype M = typeof import('../runtime/run');`)).to.deep.equal([]);
  });

  it('lets the UI import node kinds only as types (or the plain result helpers)', () => {
    expect(planted('src/ui/bad.ts', `import { V } from '../../nodes/define';`)).to.deep.equal(["ui may import node kinds' types only, not nodes/define.ts"]);
    expect(planted('src/ui/fine.ts', `import { R } from '../../nodes/results';`)).to.deep.equal([]);
  });
});
