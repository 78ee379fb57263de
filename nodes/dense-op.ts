import * as tf from '@tensorflow/tfjs';
import { leakyReluAlpha, type ActivationName } from './activations';

/**
 * One dense layer, `activation(x · W + b)`, as a single op with a gradient of its own.
 *
 * Why: tfjs's gradient of `matMul` multiplies by transposed operands through the transposeA/B flags,
 * and the wasm backend runs those flags on a slow path, 10–25× slower than a plain matMul of the same
 * size (256×784 · 784×512: 5 ms forward, 133 ms for the weight gradient). Here the backward pass
 * transposes explicitly on wasm when the product is big enough for that to pay (dW = xᵀ·dz and
 * dx = dz·Wᵀ as plain matMuls), and keeps the flags elsewhere (webgl/webgpu transpose for free in the
 * shader, the cpu backend is faster with them). The forward pass is one fused matMul + bias +
 * activation kernel where the backend has it. The input's gradient is only computed when something
 * upstream needs it (never for a dataset feeding the first layer).
 */
export function dense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, activation: string): tf.Tensor2D {
  const act = activation as ActivationName;
  const fused = fusedName[act];
  if (fused === undefined) throw new Error(`unknown activation ${activation}`);
  const [m, k] = x.shape;
  const n = kernel.shape[1];
  const engine = tf.engine() as unknown as EngineWithKernelFunc;
  return engine.runKernelFunc({
    inputs: { x, kernel, bias },
    forwardFunc: (_backend, save) => {
      const a = tf.reshape(x, [1, m, k]);
      const b = tf.reshape(kernel, [1, k, n]);
      const attrs = { transposeA: false, transposeB: false, activation: fused, leakyreluAlpha: leakyReluAlpha };
      const z = tf.engine().runKernel('_FusedMatMul', { a, b, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D;
      let y = tf.reshape(z, [m, n]) as tf.Tensor2D;
      if (act === 'tanh') y = tf.tanh(y);
      save([x, kernel, y]);
      return y;
    },
    backwardsFunc: (dy, saved) => {
      const [xs, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      // The activation's derivative from its output, as tfjs's own gradients compute it.
      const dz = activationGrad(act, dy as tf.Tensor2D, y);
      const explicit = tf.getBackend() === 'wasm' && m * k * n >= wasmTransposeAbove;
      return {
        x: () => (explicit ? tf.matMul(dz, tf.transpose(w)) : tf.matMul(dz, w, false, true)),
        kernel: () => (explicit ? tf.matMul(tf.transpose(xs), dz) : tf.matMul(xs, dz, true, false)),
        bias: () => tf.sum(dz, 0),
      };
    },
  });
}

/**
 * Below this many multiply-adds (m·k·n) wasm's transposed matMul is as fast as a transpose and a
 * plain matMul (and one kernel fewer): measured with the font AE's layers, 32×35×18 and smaller.
 */
export const wasmTransposeAbove = 1 << 15;

/** Our activation names as the fused kernels call them; tanh has no fused form and runs after a linear one. */
export const fusedName: Record<ActivationName, string> = { linear: 'linear', sigmoid: 'sigmoid', relu: 'relu', 'leaky-relu': 'leakyrelu', elu: 'elu', tanh: 'linear' };

export function activationGrad(act: ActivationName, dy: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor2D {
  switch (act) {
    case 'linear': return dy;
    case 'sigmoid': return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'tanh': return tf.mul(dy, tf.sub(1, tf.square(y)));
    // y > 0 exactly where the input was > 0 (tfjs's relu and leaky relu gradients test the input).
    case 'relu': return tf.mul(dy, tf.step(y));
    case 'leaky-relu': return tf.mul(dy, tf.maximum(tf.sign(y), leakyReluAlpha));
    // elu: 1 for y > 0, y + 1 below (tfjs's EluGrad).
    case 'elu': return tf.mul(dy, tf.add(tf.minimum(y, 0), 1));
  }
}

/** tfjs's engine entry for an op with forward and backward functions (what `tf.customGrad` builds on), typed here. */
export interface EngineWithKernelFunc {
  runKernelFunc(params: {
    inputs: Record<string, tf.Tensor>;
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
  }): tf.Tensor2D;
}
