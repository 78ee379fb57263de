import { tfjs } from './tfjs';
import { defineNode, socket, type BatchValue } from './define';
import { noiseLevelParams, noiseNode, sameShape } from './noise-params';
import { noiseForm } from './pytorch';
import { noiseSummary } from './summaries';

/** Sets each pixel to 0 or 1 (half each) with probability p. */
export const saltPepperNoise = defineNode({
  kind: 'noise.salt-pepper', version: 1, title: 'Salt & pepper noise', category: 'noise',
  summary: (p) => noiseSummary(p, 'p', 'salt & pepper'),
  inputs: { x: socket('batch') },
  outputs: { x: socket('batch', { label: 'noisy' }) },
  params: noiseLevelParams('p', { level: 0.1, min: 0, max: 0.15 }),
  infer: sameShape,
  build: noiseNode('p', saltAndPepper),
  seeds: 'per-seed',
  pytorch: noiseForm('SaltPepperNoise', 'p', 'noise.salt-pepper: each pixel becomes 1 (salt) with probability p/2, 0 (pepper) with p/2.', [
    'u = torch.rand_like(x)',
    'return x.masked_fill(u < level, 0.0).masked_fill(u < level / 2, 1.0)',
  ]),
});

/** One uniform draw per pixel: below p/2 → 1 (salt), in [p/2, p) → 0 (pepper), else unchanged. */
export function saltAndPepper(x: BatchValue, p: number, seed: number): BatchValue {
  return tfjs.tidy(() => {
    const u = tfjs.randomUniform(x.shape, 0, 1, 'float32', seed);
    const pepper = tfjs.where(tfjs.less(u, p), tfjs.zerosLike(x), x);
    return tfjs.where(tfjs.less(u, p / 2), tfjs.onesLike(x), pepper) as BatchValue;
  });
}
