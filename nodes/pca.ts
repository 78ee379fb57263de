import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';

/** Principal axes of a set of codes: unit vectors (d each), their variances, and the total variance. */
export interface PrincipalAxes { axes: Float64Array[]; variances: number[]; total: number }

/**
 * The top `k` principal axes of the rows of `x` [n, d], by power iteration with deflation on the
 * d×d covariance (tfjs has no eigendecomposition). Deterministic: it starts from the covariance
 * column of largest variance and fixes each axis' sign (largest entry positive), so the same codes
 * give the same picture on every backend. Does not dispose `x`.
 */
export async function principalAxes(x: tf.Tensor2D, k: number): Promise<PrincipalAxes> {
  const [n, d] = x.shape;
  const covT = tfjs.tidy(() => {
    const centered = tfjs.sub(x, tfjs.mean(x, 0));
    return tfjs.div(tfjs.matMul(centered, centered, true, false), Math.max(1, n - 1));
  });
  const cov = Float64Array.from(await covT.data());
  covT.dispose();
  let total = 0;
  for (let i = 0; i < d; i++) total += cov[i * d + i]!;
  const axes: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < Math.min(k, d); c++) {
    const { vector, value } = topEigen(cov, d);
    axes.push(vector);
    variances.push(value);
    // Deflate: remove this axis so the next power iteration finds the next one.
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j]! -= value * vector[i]! * vector[j]!;
  }
  return { axes, variances, total };
}

/** The dominant eigenvector and eigenvalue of a symmetric positive semi-definite matrix. */
function topEigen(m: Float64Array, d: number): { vector: Float64Array; value: number } {
  let start = 0;
  for (let i = 1; i < d; i++) if (m[i * d + i]! > m[start * d + start]!) start = i;
  let v: Float64Array = new Float64Array(d);
  // A small irrational ramp keeps the start off any axis that the column alone might miss.
  const scale = 1e-3 * Math.sqrt(Math.max(0, m[start * d + start]!));
  for (let i = 0; i < d; i++) v[i] = m[i * d + start]! + scale * ((i * 0.6180339887) % 1);
  if (!normalize(v)) return { vector: unitVector(d, start), value: 0 };
  let value = 0;
  for (let iter = 0; iter < 2000; iter++) {
    const w = mulVec(m, v, d);
    const next = Math.sqrt(dot(w, w));
    if (next === 0) return { vector: v, value: 0 };
    for (let i = 0; i < d; i++) w[i]! /= next;
    let change = 0;
    for (let i = 0; i < d; i++) change = Math.max(change, Math.abs(w[i]! - v[i]!));
    v = w;
    const settled = Math.abs(next - value) <= 1e-12 * Math.max(1, next) && change < 1e-9;
    value = next;
    if (settled) break;
  }
  let big = 0;
  for (let i = 1; i < d; i++) if (Math.abs(v[i]!) > Math.abs(v[big]!)) big = i;
  if (v[big]! < 0) for (let i = 0; i < d; i++) v[i] = -v[i]!;
  return { vector: v, value: dot(v, mulVec(m, v, d)) };
}

function mulVec(m: Float64Array, v: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += m[i * d + j]! * v[j]!;
    out[i] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function normalize(v: Float64Array): boolean {
  const len = Math.sqrt(dot(v, v));
  if (len === 0) return false;
  for (let i = 0; i < v.length; i++) v[i]! /= len;
  return true;
}

function unitVector(d: number, i: number): Float64Array {
  const v = new Float64Array(d);
  v[i] = 1;
  return v;
}

/** Projects the centered rows of `x` onto the axes: [n, axes.length]. Does not dispose `x`. */
export function projectOnto(x: tf.Tensor2D, axes: Float64Array[]): tf.Tensor2D {
  return tfjs.tidy(() => {
    const d = x.shape[1];
    const basis = tfjs.tensor2d(axes.flatMap((a) => Array.from(a)), [axes.length, d]);
    return tfjs.matMul(tfjs.sub(x, tfjs.mean(x, 0)), basis, false, true);
  });
}
