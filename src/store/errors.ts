import type { Problem } from '../graph';
import { errorMessage } from '../lib/error-message';

/** Why a store operation failed, as a code the UI can branch on. */
export type StoreErrorCode = 'blocked' | 'newer-database' | 'quota' | 'closed' | 'failed';

/** A failure of the library database, carrying the Problem to show the user. */
export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, readonly problem: Problem, readonly cause?: unknown) {
    super(problem.message);
    this.name = 'StoreError';
  }
}

/** The result of an operation that may be refused: a value, or one Problem saying why. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refuse = <T = never>(message: string, path = ''): Outcome<T> => ({ ok: false, problem: { severity: 'error', path, message } });

export const messages = {
  quota: "the browser's storage is full, so this was not saved; your previously saved work is unchanged. Free space by deleting old graphs, checkpoints or trained weights in the library, then try again.",
  blocked: 'latentflow is open in another tab with an older version of its library; close the other latentflow tabs, then reload this one.',
  newerDatabase: 'the library was upgraded by a newer latentflow in another tab; reload this page to use it.',
  closed: 'the library was closed because a newer latentflow opened it in another tab; reload this page.',
  noStorage: 'this browser does not allow saving here (private mode or storage disabled); you can work, but nothing will be kept after you close the page.',
  noAnswer: (ms: number) => `the browser's storage (IndexedDB) did not answer within ${ms / 1000} s, so your saved graphs could not be opened; you can work, but nothing will be kept after you close the page. Reload to try again.`,
} as const;

/** True for the browser's "out of space" errors, whatever the engine calls them. */
export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** A refusal with a message of our own, thrown inside a transaction to undo it. */
export function fail(message: string, code: StoreErrorCode = 'failed'): StoreError {
  return new StoreError(code, { severity: 'error', path: '', message });
}

/** Turns anything thrown by IndexedDB into a StoreError with a message a user can act on. */
export function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  if (isQuotaError(e)) return new StoreError('quota', { severity: 'error', path: '', message: messages.quota }, e);
  if ((e as { name?: unknown } | null)?.name === 'InvalidStateError') {
    return new StoreError('closed', { severity: 'error', path: '', message: messages.closed }, e);
  }
  const detail = errorMessage(e);
  return new StoreError('failed', { severity: 'error', path: '', message: `the library could not be read or written (${detail.slice(0, 200)})` }, e);
}

/** Runs a store operation and turns a StoreError into a refused Outcome. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return { ok: false, problem: toStoreError(e).problem };
  }
}
