/** Small pure-JS image helpers for datasets: channel conversion and resizing of byte images. */

/** A byte image, row-major, channels last (1 gray, 3 RGB, 4 RGBA). */
export interface ByteImage {
  height: number;
  width: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Converts to 1 (gray) or 3 (RGB) channels. Transparent pixels are composited on white (as the
 * emoji set is); gray is ITU-R 601 luma, the same as the emoji sprites and most image tools.
 */
export function toChannels(img: ByteImage, channels: 1 | 3): ByteImage {
  if (img.channels === channels) return img;
  const n = img.height * img.width;
  const out = new Uint8Array(n * channels);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    let r: number, g: number, b: number;
    if (c === 1 || c === 2) r = g = b = img.data[i * c]!;
    else {
      r = img.data[i * c]!;
      g = img.data[i * c + 1]!;
      b = img.data[i * c + 2]!;
    }
    const alpha = c === 4 ? img.data[i * c + 3]! / 255 : c === 2 ? img.data[i * c + 1]! / 255 : 1;
    if (alpha < 1) {
      r = r * alpha + 255 * (1 - alpha);
      g = g * alpha + 255 * (1 - alpha);
      b = b * alpha + 255 * (1 - alpha);
    }
    if (channels === 1) out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    else {
      out[i * 3] = Math.round(r);
      out[i * 3 + 1] = Math.round(g);
      out[i * 3 + 2] = Math.round(b);
    }
  }
  return { height: img.height, width: img.width, channels, data: out };
}

/** Weights of a triangle filter from `inSize` to `outSize` samples (widened when shrinking). */
function resampleWeights(inSize: number, outSize: number): { start: number; weights: Float64Array }[] {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  return Array.from({ length: outSize }, (_, i) => {
    const center = (i + 0.5) * scale;
    const start = Math.max(0, Math.floor(center - support));
    const end = Math.min(inSize, Math.ceil(center + support));
    const weights = new Float64Array(end - start);
    let sum = 0;
    for (let j = start; j < end; j++) {
      const w = Math.max(0, 1 - Math.abs(j + 0.5 - center) / support);
      weights[j - start] = w;
      sum += w;
    }
    for (let k = 0; k < weights.length; k++) weights[k] = sum > 0 ? weights[k]! / sum : 1 / weights.length;
    return { start, weights };
  });
}

/**
 * Resizes with a separable triangle (bilinear) filter that widens when shrinking, like PIL's
 * antialiased BILINEAR: shrinking a large photo to 28×28 averages it instead of skipping pixels.
 */
export function resizeImage(img: ByteImage, height: number, width: number): ByteImage {
  if (img.height === height && img.width === width) return img;
  const c = img.channels;
  const cols = resampleWeights(img.width, width);
  const rows = resampleWeights(img.height, height);
  const mid = new Float64Array(img.height * width * c);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      const { start, weights } = cols[x]!;
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let j = 0; j < weights.length; j++) s += weights[j]! * img.data[(y * img.width + start + j) * c + k]!;
        mid[(y * width + x) * c + k] = s;
      }
    }
  }
  const out = new Uint8Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const { start, weights } = rows[y]!;
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let j = 0; j < weights.length; j++) s += weights[j]! * mid[((start + j) * width + x) * c + k]!;
        out[(y * width + x) * c + k] = Math.min(255, Math.max(0, Math.round(s)));
      }
    }
  }
  return { height, width, channels: c, data: out };
}
