import { tfjs } from './tfjs';
import { bool, defineNode, socket, type BatchValue } from './define';
import { noiseLevelParams, noiseNode, sameShape } from './noise-params';
import { noiseForm } from './pytorch';
import { noiseSummary } from './summaries';

/** Adds N(0, σ²) to each pixel, clipped to [0, 1]. */
export const gaussianNoise = defineNode({
  kind: 'noise.gaussian', version: 1, title: 'Gaussian noise', category: 'noise',
  summary: (p) => noiseSummary(p, 'sigma', 'gaussian').replace('sigma', 'σ'),
  inputs: { x: socket('batch') },
  outputs: { x: socket('batch', { label: 'noisy' }) },
  params: { ...noiseLevelParams('sigma', { level: 0.1, min: 0, max: 0.3 }), clip: bool({ default: true, live: true, help: 'Keep pixels in [0, 1].' }) },
  infer: sameShape,
  build: noiseNode('sigma', (x, sigma, seed, params) => additiveGaussian(x, sigma, seed, params.clip !== false)),
  seeds: 'per-seed',
  pytorch: noiseForm('GaussianNoise', 'sigma', 'noise.gaussian: adds N(0, sigma²) to each pixel, clipped to [0, 1] unless clip is off.', [
    'noisy = x + level * torch.randn_like(x)',
    'return noisy.clamp(0.0, 1.0) if self.clip else noisy',
  ], { name: 'clip', param: 'clip', default: true }),
});

/** x + σ·ε with ε ~ N(0, 1) per pixel, optionally clipped back to the pixel range. */
export function additiveGaussian(x: BatchValue, sigma: number, seed: number, clip: boolean): BatchValue {
  return tfjs.tidy(() => {
    const noisy = tfjs.add(x, tfjs.randomNormal(x.shape, 0, sigma, 'float32', seed));
    return (clip ? tfjs.clipByValue(noisy, 0, 1) : noisy) as BatchValue;
  });
}
