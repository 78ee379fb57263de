import * as tf from '@tensorflow/tfjs';
import './tfjs-bind';
import { hostMemory, onHost, registerHostKernel, type HostMemory } from '../../nodes/host-kernels';
import { adamSimd, type AdamSimd } from './wasm-adam';

/** float32 rounding, as every kernel rounds each result (a local: faster in hot loops than an imported binding). */
const f32 = Math.fround;

type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/** What tfjs's Adam keeps privately and this subclass reads (tfjs 4.22). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/**
 * tfjs's Adam, with every weight's update done at once: the gradients are concatenated into one
 * vector, the moments live as one vector each, and one split hands each weight its step. The same
 * arithmetic, element by element, as `tf.train.adam` (so the same numbers), in about 3n + 20 kernels a
 * step instead of 14n: a small net (the font AE: 12 weights, ~250 kernels a step) is bound by the
 * count of kernels, not their size.
 *
 * `getWeights`/`setWeights` keep tfjs's layout (iterations, then each weight's first moment, then each
 * second moment), so checkpoints move between the two. The moment tensors `getWeights` hands out are
 * the optimizer's: valid until its next step (read them at once, as readOptimizerState does).
 */
/**
 * Most values updated through one vector (or one loop). Small nets gain (kernel count); on big ones the
 * split costs more than the kernels it saves (wasm's split kernel: 0.8 s a step for the MNIST VAE's
 * 1.07 M values), and so does the scalar loop (JS: 2-3x tfjs's per-weight SIMD kernels there). On wasm
 * the loop is WebAssembly SIMD on the heap (wasm-adam.ts), faster than tfjs's kernels at any size:
 * no limit there (MNIST VAE, Node: 2.4 ms a step against ~10 ms).
 */
export const flatLimit = 1 << 16;

/** The SIMD update for the active backend's heap, or null (not wasm, or no WebAssembly SIMD). */
function simdOf(mem: HostMemory | null): AdamSimd | null {
  return mem?.heap ? adamSimd(mem.heap.memory) : null;
}

export class FlatAdamOptimizer extends tf.AdamOptimizer {
  private m: tf.Variable | null = null;
  private v: tf.Variable | null = null;
  private names: string[] = [];
  private exported: tf.Tensor[] = [];
  /** Too many values to copy through one vector (wasm's split kernel is slow on big ones): tfjs's per-weight Adam. */
  private perWeight = false;

  private get internals(): AdamInternals {
    return this as unknown as AdamInternals;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const grads: tf.NamedTensorMap = Array.isArray(variableGradients)
      ? Object.fromEntries(variableGradients.map((g) => [g.name, g.tensor]))
      : variableGradients;
    const names = Object.keys(grads).filter((n) => grads[n] != null);
    const vars = names.map((n) => tf.engine().registeredVariables[n]!);
    if (!this.m) this.perWeight = vars.reduce((a, v) => a + v.size, 0) > flatLimit && !simdOf(hostMemory());
    if (this.perWeight) return super.applyGradients(variableGradients as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
    this.ensureState(names, vars);
    this.freeExported();
    const sizes = vars.map((v) => v.size);
    const it = this.internals;
    if (onHost()) {
      // wasm and cpu: the whole update as one kernel (one loop over every value).
      tf.tidy(() => {
        const inputs: tf.NamedTensorMap = { m: this.m!, v: this.v!, accBeta1: it.accBeta1, accBeta2: it.accBeta2 };
        names.forEach((n, i) => { inputs[`w${i}`] = vars[i]!; inputs[`g${i}`] = grads[n]!; });
        const attrs = { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, lr: this.learningRate, count: vars.length };
        const out = tf.engine().runKernel(adamKernel, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
        vars.forEach((variable, i) => variable.assign(out[i]!));
        [this.m!, this.v!, it.accBeta1, it.accBeta2].forEach((variable, i) => variable.assign(out[vars.length + i]!));
      });
      this.incrementIterations();
      return;
    }
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, it.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, it.accBeta2);
      const g = names.length === 1 ? tf.reshape(grads[names[0]!]!, [-1]) : tf.concat(names.map((n) => tf.reshape(grads[n]!, [-1])));
      const m = tf.add(tf.mul(this.m!, this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      const step = tf.mul(tf.div(tf.div(m, oneMinusAccBeta1), tf.add(tf.sqrt(tf.div(v, oneMinusAccBeta2)), this.epsilon)), -this.learningRate);
      this.m!.assign(m);
      this.v!.assign(v);
      const pieces = vars.length === 1 ? [step] : tf.split(step, sizes);
      vars.forEach((variable, i) => variable.assign(tf.add(tf.reshape(pieces[i]!, variable.shape), variable)));
      it.accBeta1.assign(tf.mul(it.accBeta1, this.beta1));
      it.accBeta2.assign(tf.mul(it.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }

  /** The flat moments for these weights: from tfjs's per-weight slots (restored by setWeights) or zeros. */
  private ensureState(names: string[], vars: tf.Variable[]): void {
    if (this.m && names.length === this.names.length && names.every((n, i) => n === this.names[i])) return;
    if (this.m) throw new Error('this optimizer was already used with other weights');
    const it = this.internals;
    const restored = it.accumulatedFirstMoment.length === vars.length && it.accumulatedSecondMoment.length === vars.length;
    const flat = (slots: AdamInternals['accumulatedFirstMoment']) => tf.tidy(() =>
      tf.variable(restored ? tf.concat(slots.map((s) => tf.reshape(s.variable, [-1]))) : tf.zeros([vars.reduce((a, v) => a + v.size, 0)]), false));
    this.m = flat(it.accumulatedFirstMoment);
    this.v = flat(it.accumulatedSecondMoment);
    for (const s of [...it.accumulatedFirstMoment, ...it.accumulatedSecondMoment]) s.variable.dispose();
    it.accumulatedFirstMoment = [];
    it.accumulatedSecondMoment = [];
    this.names = names;
  }

  private freeExported(): void {
    tf.dispose(this.exported);
    this.exported = [];
  }

  override async getWeights(): Promise<NamedTensor[]> {
    if (!this.m) return super.getWeights();
    this.freeExported();
    const vars = this.names.map((n) => tf.engine().registeredVariables[n]!);
    const unflatten = (flat: tf.Tensor, suffix: string) => tf.tidy(() => {
      const pieces = vars.length === 1 ? [flat] : tf.split(flat, vars.map((v) => v.size));
      return pieces.map((p, i) => ({ name: `${this.names[i]}/${suffix}`, tensor: tf.reshape(p, vars[i]!.shape) }));
    });
    const slots = [...unflatten(this.m, 'm'), ...unflatten(this.v!, 'v')];
    this.exported = slots.map((s) => s.tensor);
    return [await this.saveIterations(), ...slots];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    tf.dispose([this.m, this.v].filter((t): t is tf.Variable => t !== null));
    this.m = null;
    this.v = null;
    this.names = [];
    await super.setWeights(weightValues);
  }

  override dispose(): void {
    this.freeExported();
    tf.dispose([this.m, this.v].filter((t): t is tf.Variable => t !== null));
    this.m = null;
    this.v = null;
    super.dispose();
  }
}

/**
 * One Adam step of every weight as one kernel on wasm and cpu: the arithmetic of `applyGradients`'s
 * tensor path element by element, each operation rounded to float32 as its kernels round it (the same
 * numbers), in one loop instead of ~3n + 20 kernels. Outputs: each weight's new value, then the new
 * first and second moments and the new β₁ᵗ, β₂ᵗ.
 */
const adamKernel = 'LatentflowAdam';
registerHostKernel(adamKernel, (inputs, attrs, mem) => {
  const n = attrs.count as number;
  const ws = Array.from({ length: n }, (_, i) => inputs[`w${i}`]!);
  const out = [...ws.map((w) => mem.alloc(w.shape)), mem.alloc(inputs.m!.shape), mem.alloc(inputs.v!.shape), mem.alloc([]), mem.alloc([])];
  // Views after every allocation (wasm's heap may have moved).
  const m = mem.view(inputs.m!), v = mem.view(inputs.v!);
  const m2 = mem.view(out[n]!), v2 = mem.view(out[n + 1]!);
  const a1 = mem.view(inputs.accBeta1!)[0]!, a2 = mem.view(inputs.accBeta2!)[0]!;
  const b1 = f32(attrs.beta1 as number), b2 = f32(attrs.beta2 as number);
  const c1 = f32(1 - (attrs.beta1 as number)), c2 = f32(1 - (attrs.beta2 as number));
  const eps = f32(attrs.epsilon as number), nlr = f32(-(attrs.lr as number));
  const d1 = f32(1 - a1), d2 = f32(1 - a2);
  const simd = simdOf(mem);
  const at = mem.heap?.offset;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const w = mem.view(ws[i]!), g = mem.view(inputs[`g${i}`]!), w2 = mem.view(out[i]!);
    let j = 0;
    if (simd && at) {
      // Four values an instruction on the heap, in place of this loop (the same float32 arithmetic); the loop does the rest (< 4).
      j = w.length - (w.length % 4);
      const [wi, gi, wo] = [ws[i]!, inputs[`g${i}`]!, out[i]!].map(at) as [number, number, number];
      simd(wi, gi, at(inputs.m!) + 4 * k, at(inputs.v!) + 4 * k, wo, at(out[n]!) + 4 * k, at(out[n + 1]!) + 4 * k, j, b1, b2, c1, c2, eps, nlr, d1, d2);
      k += j;
    }
    for (; j < w.length; j++, k++) {
      const gj = g[j]!;
      const mj = f32(f32(m[k]! * b1) + f32(gj * c1));
      const vj = f32(f32(v[k]! * b2) + f32(f32(gj * gj) * c2));
      m2[k] = mj;
      v2[k] = vj;
      w2[j] = f32(f32(f32(mj / d1) / f32(f32(Math.sqrt(f32(vj / d2))) + eps)) * nlr) + w[j]!;
    }
  }
  mem.view(out[n + 2]!)[0] = a1 * b1;
  mem.view(out[n + 3]!)[0] = a2 * b2;
  return out;
});
