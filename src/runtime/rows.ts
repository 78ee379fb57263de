/**
 * Copies rows of a row-major matrix held in JS. Picking a batch this way and uploading it is much
 * faster on wasm than tfjs's gather kernel (about 1.4 s for 9,000 MNIST rows, 16–50 ms for a batch
 * of 256 on this machine), and gives the same values.
 */
export function takeRows(x: Float32Array, features: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * features);
  for (let k = 0; k < rows.length; k++) {
    const from = rows[k]! * features;
    out.set(x.subarray(from, from + features), k * features);
  }
  return out;
}
