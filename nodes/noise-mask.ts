import { tfjs } from './tfjs';
import { defineNode, socket, type BatchValue } from './define';
import { noiseLevelParams, noiseNode, sameShape } from './noise-params';
import { noiseForm } from './pytorch';
import { noiseSummary } from './summaries';

/** Drops (zeroes) a fraction of the pixels. */
export const maskNoise = defineNode({
  kind: 'noise.mask', version: 1, title: 'Masking noise', category: 'noise',
  summary: (p) => noiseSummary(p, 'fraction', 'mask'),
  inputs: { x: socket('batch') },
  outputs: { x: socket('batch', { label: 'masked' }) },
  params: noiseLevelParams('fraction', { level: 0.2, min: 0, max: 0.3 }),
  infer: sameShape,
  build: noiseNode('fraction', dropPixels),
  seeds: 'per-seed',
  pytorch: noiseForm('MaskNoise', 'fraction', 'noise.mask: each pixel is set to 0 with probability `fraction` (no rescaling).', [
    'return x.masked_fill(torch.rand_like(x) < level, 0.0)',
  ]),
});

/** Each pixel is set to 0 with probability `fraction` (no rescaling: the decoder sees real holes). */
export function dropPixels(x: BatchValue, fraction: number, seed: number): BatchValue {
  return tfjs.tidy(() => tfjs.where(tfjs.less(tfjs.randomUniform(x.shape, 0, 1, 'float32', seed), fraction), tfjs.zerosLike(x), x) as BatchValue);
}
