/**
 * The options `train` and `export` share, parsed once (issue 13: `export` parsed `--epochs 1e3`
 * and `0x10`, took `--backend webgpu` in Node to an internal error and read a FIFO for ever, while
 * `train` refused them).
 */
import type { IntParam } from '../graph';
import { registry } from '../../nodes';
import { backendNames, type BackendName } from '../runtime/backend-names';

/** The trainer's own ranges (`--epochs`, `--seed`). */
export const trainerRange = (param: 'epochs' | 'seed'): IntParam => registry.get('train.optimizer')!.params[param] as IntParam;

/** Plain decimal digits only ("", 1e3, 0x10, 1.0, +5, " 1" are refused), within `min`..`max`; throws the message. */
export function wholeNumber(v: string | undefined, name: string, { min, max }: { min: number; max: number }): number {
  if (v === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new Error(`${name} needs a whole number from ${min} to ${max}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
  }
  return Number(v);
}

/** `--backend B`: one of `allowed` that can run in this Node process; throws the message. */
export function backendOption(b: string | undefined, allowed: readonly BackendName[] = backendNames): BackendName {
  if (!allowed.includes(b as BackendName)) throw new Error(`--backend must be one of ${allowed.join(', ')}, got ${b === undefined ? 'nothing' : JSON.stringify(b)}`);
  const why = unavailableInNode(b as BackendName);
  if (why) throw new Error(`--backend ${b}: ${why}`);
  return b as BackendName;
}

/** Why a backend cannot run in this Node process (before anything is loaded), or undefined. */
function unavailableInNode(b: BackendName): string | undefined {
  if (b === 'webgl') return 'WebGL is unavailable in Node (it needs a browser); train in the app, or use --backend wasm or cpu here';
  if (b === 'webgpu' && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) {
    return 'WebGPU is unavailable in Node (tfjs needs a browser\'s navigator.gpu); train in the app, or use --backend wasm or cpu here';
  }
  return undefined;
}

/**
 * Refuses an option given twice (`--seed 3 --seed 4` once trained seed 4 without a word); `repeatable`
 * ones (`--sweep`) may come again. Call with every argument that starts with `--`; throws the message.
 */
export function onlyOnce(repeatable: readonly string[] = []): (option: string) => void {
  const seen = new Set<string>();
  return (option) => {
    if (repeatable.includes(option)) return;
    if (seen.has(option)) throw new Error(`${option} is given more than once`);
    seen.add(option);
  };
}
