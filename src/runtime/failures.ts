/** What a failed run says, in words a student can act on. */
import { errorMessage } from '../lib/error-message';

/** An engine out of memory (a wasm heap past 4 GB...) is named as such, with what to change; anything else as it is. */
export function failureReason(e: unknown): string {
  const message = errorMessage(e);
  return /memory access out of bounds|out of memory|allocation failed|invalid typed array length|Aborted\(OOM\)/i.test(message)
    ? `ran out of memory (${message}): use a smaller batch size, fewer samples or fewer units`
    : message;
}

/** A non-finite training loss: where, in which term (and its kind), and which weights the NaN guard restored. */
export function nanReason(step: number, term: string, kind: string | undefined, value: number, restoredFrom: number | null): string {
  return `the loss became ${value} at step ${step + 1} in term "${term}"${kind ? ` (${kind})` : ''}; ` +
    (restoredFrom !== null ? `weights restored from step ${restoredFrom}` : 'no earlier good weights to restore') + '. Try a smaller learning rate.';
}
