import { tfjs } from './tfjs';
import { choice, defineNode, socket, type LatentValue } from './define';
import { principalAxes, projectOnto } from './pca';
import type { PointsResult } from './results';

/** The latent code (the mean, for a VAE) of every sample, with its label. */
export const encodeInference = defineNode({
  kind: 'infer.encode', version: 1, title: 'Encode all', category: 'infer',
  summary: (p) => (p.projection === 'pca' ? 'PCA projection' : 'first two dims'),
  inputs: { z: socket('latent') },
  outputs: { points: socket('metrics', { label: 'latent points' }) },
  params: { projection: choice({ options: ['first-two', 'pca'], default: 'first-two', live: true, help: 'How to show codes of more than 2 dimensions.' }) },
  infer: () => ({ outputs: { points: { type: 'metrics', of: 'points' } } }),
  evaluate: async ({ z }, ctx) => latentPoints(z as LatentValue, ctx.params.projection, ctx.labels),
});

/** Codes of a few dims are shipped whole; more would bloat the result for little use. */
const rawUpTo = 8;

/** 2-D points for the codes: as they are (1-D codes get y = 0), their first two dims, or PCA. */
export async function latentPoints(latent: LatentValue, projection: 'first-two' | 'pca', labels?: string[]): Promise<PointsResult> {
  const codes = latent.mean ?? latent.z;
  const dims = codes.shape[1];
  // Codes of 1 or 2 dims are shown as they are whatever was asked, and say so.
  const used: PointsResult['projection'] = dims > 2 && projection === 'pca' ? 'pca' : 'first-two';
  const base = { kind: 'points' as const, dims, projection: used, ...(labels ? { labels } : {}) };
  const raw = dims <= rawUpTo ? await codes.array() : undefined;
  if (used === 'pca') {
    const { axes, variances, total } = await principalAxes(codes, 2);
    const projected = projectOnto(codes, axes);
    try {
      const points = await projected.array();
      return { ...base, points, ...(raw ? { raw } : {}), explained: variances.map((v) => (total > 0 ? v / total : 0)) };
    } finally {
      projected.dispose();
    }
  }
  const firstTwo = tfjs.tidy(() => (dims === 1 ? tfjs.concat([codes, tfjs.zerosLike(codes)], 1) : tfjs.slice(codes, [0, 0], [-1, 2])));
  try {
    return { ...base, points: await firstTwo.array(), ...(raw ? { raw } : {}) };
  } finally {
    firstTwo.dispose();
  }
}
