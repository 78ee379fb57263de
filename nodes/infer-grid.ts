import { tfjs } from './tfjs';
import { defineNode, int, intList, numberList, socket } from './define';
import { short } from './summaries';
import { asModel } from './shape-helpers';
import { decodeImages, requireDecoder } from './image-result';

/** Decodes an n×n grid over a region of two latent dimensions (the others at 0). */
export const gridInference = defineNode({
  kind: 'infer.grid', version: 1, title: 'Latent grid', category: 'infer',
  summary: (p) => {
    // "10×10 · ±2.5": a symmetric range as people write it; other ranges as from…to per axis.
    const [x0, x1, y0, y1] = p.extent;
    const span = (a: number, b: number) => (a === -b ? `±${short(b)}` : `${short(a)}…${short(b)}`);
    const x = span(x0!, x1!), y = span(y0!, y1!);
    return `${p.n}×${p.n} · ${x === y ? x : `${x}, ${y}`}`;
  },
  inputs: { decoder: socket('model') },
  outputs: { images: socket('metrics', { label: 'images' }) },
  params: {
    n: int({ min: 2, max: 30, default: 10, live: true }),
    extent: numberList({ min: -100, max: 100, default: [-3, 3, -3, 3], minLength: 4, maxLength: 4, live: true, help: 'xMin, xMax, yMin, yMax.' }),
    dims: intList({ min: 0, max: 511, default: [0, 1], minLength: 2, maxLength: 2, live: true }),
  },
  infer: (inputs, p) => {
    const m = asModel(inputs.decoder)!;
    const dims = p.dims;
    const bad = dims.some((d) => d >= m.inputs) || dims[0] === dims[1];
    return { outputs: { images: { type: 'metrics', of: 'images' } },
      issues: bad ? [{ param: 'dims', message: `params.dims must be two different dimensions below ${m.inputs}, got [${dims.join(', ')}]` }] : [] };
  },
  evaluate: async ({ decoder }, ctx) => {
    const model = requireDecoder(decoder, 'infer.grid');
    const n = ctx.params.n;
    const [x0, x1, y0, y1] = ctx.params.extent;
    const [dx, dy] = ctx.params.dims;
    if (dx! >= model.inputs || dy! >= model.inputs || dx === dy) {
      throw new Error(`params.dims must be two different dimensions below ${model.inputs}, got [${dx}, ${dy}]`);
    }
    const { codes, coords } = gridCodes(n, [x0!, x1!, y0!, y1!], [dx!, dy!], model.inputs);
    const z = tfjs.tensor2d(codes, [n * n, model.inputs]);
    try {
      return await decodeImages(model, z, { rows: n, cols: n, coords });
    } finally {
      z.dispose();
    }
  },
});

/**
 * Codes of an n×n grid, row-major. Columns run over dims[0] from xMin to xMax; rows over dims[1]
 * from yMax (top row) down to yMin, so the grid reads like the latent scatter plot beside it.
 * `coords` holds each image's (x, y).
 */
export function gridCodes(n: number, extent: [number, number, number, number], dims: [number, number], size: number): { codes: Float32Array; coords: number[][] } {
  const [x0, x1, y0, y1] = extent;
  const codes = new Float32Array(n * n * size);
  const coords: number[][] = [];
  for (let r = 0; r < n; r++) {
    const y = y1 + ((y0 - y1) * r) / (n - 1);
    for (let c = 0; c < n; c++) {
      const x = x0 + ((x1 - x0) * c) / (n - 1);
      const k = r * n + c;
      codes[k * size + dims[0]] = x;
      codes[k * size + dims[1]] = y;
      coords.push([x, y]);
    }
  }
  return { codes, coords };
}
