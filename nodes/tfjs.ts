/**
 * tfjs as the node kinds compute with it, bound by the runtime (`bindTfjs`, src/runtime/tfjs-bind.ts)
 * before anything is built. The kinds import tfjs's types only, so their declarations (params, sockets,
 * summaries, shape inference: the catalog) load without tfjs: the page's UI thread and `latentflow
 * validate` never load it. Computing before the runtime bound it is a bug, and says so.
 */
import type * as TF from '@tensorflow/tfjs';

const unbound = new Proxy({}, {
  get(_, name) {
    throw new Error(`tfjs is not loaded here (tf.${String(name)}): node kinds compute only where the runtime (src/runtime) is loaded`);
  },
}) as typeof TF;

/** The tfjs module the kinds compute with (a live binding: it is the real module once the runtime bound it). */
export let tfjs: typeof TF = unbound;

let bound = false;
const waiting: (() => void)[] = [];

/** Called once by the runtime with the tfjs module it loaded; runs what waited for it (`withTfjs`). */
export function bindTfjs(module: typeof TF): void {
  tfjs = module;
  bound = true;
  for (const f of waiting.splice(0)) f();
}

/** Runs `f` once tfjs is bound (now, if it is): module-level setup such as registering kernels. */
export function withTfjs(f: () => void): void {
  if (bound) f();
  else waiting.push(f);
}
