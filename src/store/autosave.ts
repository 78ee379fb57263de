/** Autosave: the open graph is written within `delayMs` of the last edit, and on demand. */
import type { GraphDoc, Problem } from '../graph';
import type { Library } from './db';
import { saveGraphDoc, type GraphRecord } from './graphs';
import { setSetting, lastGraphSetting } from './settings';

export interface Autosaver {
  /** Call on every edit; the latest document is saved once edits pause. */
  edited(doc: GraphDoc): void;
  /** Saves now what is pending (before a run, on page hide). */
  flush(): Promise<void>;
  dispose(): void;
}

export interface AutosaveOptions {
  /** The graph's id in the library; absent: the first save creates it. */
  id?: string;
  delayMs?: number;
  onSaved?: (record: GraphRecord) => void;
  /** A save failed (storage full...): show it; the previous saved version is intact. */
  onProblem?: (problem: Problem) => void;
  /** Injected clock, for tests. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Starts autosaving one open graph. */
export function autosave(lib: Library, options: AutosaveOptions = {}): Autosaver {
  const delay = options.delayMs ?? 500;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let id = options.id;
  let remembered: string | undefined;
  let pending: GraphDoc | null = null;
  let timer: unknown = null;
  let saving: Promise<void> = Promise.resolve();

  const save = () => {
    timer = null;
    const doc = pending;
    pending = null;
    if (!doc) return saving;
    saving = saving.then(async () => {
      const r = await saveGraphDoc(lib, doc, id);
      if (!r.ok) { options.onProblem?.(r.problem); return; }
      id = r.value.id;
      if (remembered !== id) {
        remembered = id;
        await setSetting(lib, lastGraphSetting, id);
      }
      options.onSaved?.(r.value);
    });
    return saving;
  };

  return {
    edited(doc) {
      pending = doc;
      if (timer !== null) clearTimer(timer);
      timer = setTimer(save, delay);
    },
    flush() {
      if (timer !== null) clearTimer(timer);
      return save();
    },
    dispose() {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
