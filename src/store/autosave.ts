/** Autosave: the open graph is written within `delayMs` of the last edit, and on demand. */
import type { GraphDoc, Problem } from '../graph';
import type { Library } from './db';
import { saveGraphDoc, saveGraphDocIfUnchanged, type GraphRecord } from './graphs';
import { setSetting, lastGraphSetting } from './settings';

export interface Autosaver {
  /** Call on every edit; the latest document is saved once edits pause. */
  edited(doc: GraphDoc): void;
  /** Saves now what is pending (before a run, on page hide). */
  flush(): Promise<void>;
  /** The saved text this page knows the graph by, after it changed it another way (a rename). */
  adopt(text: string): void;
  dispose(): void;
}

export interface AutosaveOptions {
  /** The graph's id in the library; absent: the first save creates it. */
  id?: string;
  delayMs?: number;
  onSaved?: (record: GraphRecord) => void;
  /** A save failed (storage full...): show it; the previous saved version is intact. */
  onProblem?: (problem: Problem) => void;
  /**
   * The saved text of the graph as this page read it. Given, a save first checks that the library
   * still holds it: when another tab saved the graph since, nothing is overwritten, autosaving
   * stops and `onConflict` gets their record and this page's document.
   */
  seenText?: string;
  onConflict?: (theirs: GraphRecord, mine: GraphDoc) => void;
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
  let seen = options.seenText;
  let halted = false;

  const save = () => {
    timer = null;
    const doc = pending;
    pending = null;
    if (!doc || halted) return saving;
    saving = saving.then(async () => {
      const r = id !== undefined && seen !== undefined ? await saveGraphDocIfUnchanged(lib, doc, id, seen) : await saveGraphDoc(lib, doc, id);
      if (!r.ok && 'theirs' in r) {
        halted = true;
        if (options.onConflict) options.onConflict(r.theirs as GraphRecord, doc);
        else options.onProblem?.(r.problem);
        return;
      }
      if (!r.ok) { options.onProblem?.(r.problem); return; }
      if (seen !== undefined || id === undefined) seen = r.value.text;
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
    adopt(text) {
      seen = text;
    },
    dispose() {
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
