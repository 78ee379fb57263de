import fc from 'fast-check';
import { loadGraph } from '../../src/graph';
import { registry } from '../../nodes';
const any = fc.anything({ maxDepth: 3, maxKeys: 5, withBoxedValues: true, withMap: true, withSet: true, withObjectString: true, withNullPrototype: true, withBigInt: true, withDate: true, withTypedArray: true, withSparseArray: true, withUnicodeString: true });
for (let k = 0; k < 5; k++) {
  let worst = 0, wv: unknown;
  const t0 = performance.now();
  fc.assert(fc.property(any, (v) => { const t = performance.now(); loadGraph(v, registry); const d = performance.now() - t; if (d > worst) { worst = d; wv = v; } }), { numRuns: 100 });
  console.log('total', Math.round(performance.now() - t0), 'worst load', worst.toFixed(1), typeof wv, Array.isArray(wv) ? (wv as unknown[]).length : '');
}
