import type { ReactiveControllerHost } from 'lit';
import type { Catalog, Problem } from '../graph';
import type { LatentEditor } from '../editor';
import type { Run } from '../runtime/types';
import type { WorkerRunOptions } from './worker-run';
import type { SeedsOutcome, WorkerSeedsOptions } from './worker-seeds';
import type { GraphDocument } from './graph-document';
import type { RunSession } from './run-session';

/** What the app asks of a new run (a seed, weights or a checkpoint to start from, where checkpoints go): the Worker run's options. */
export type StartRunOptions = Pick<WorkerRunOptions, 'seed' | 'initialWeights' | 'startStep' | 'optimizerState' | 'history' | 'checkpointEvery' | 'onCheckpoint'>;
/** Starts a run from graph file text: the run, or the problems that keep it from starting. */
export type StartRun = (docText: string, options?: StartRunOptions) => Promise<Run | { problems: Problem[] }>;
/** Trains seeds of a graph (file text) as one program in a Worker (Compare seeds), or says why not. */
export type StartSeeds = (docText: string, seeds: number[], options: Pick<WorkerSeedsOptions, 'metricNodes' | 'signal' | 'onProgress'>) => Promise<SeedsOutcome>;
/** Preset graphs by name; each loads the file text. */
export type PresetSource = Record<string, () => Promise<string>>;

/** Presets fetched from `/graphs/<name>.json` (web-test-runner serves the repo root). */
export function fetchedPresets(names: readonly string[], base = '/graphs/'): PresetSource {
  return Object.fromEntries(names.map((n) => [n, async () => {
    const res = await fetch(`${base}${n}.json`);
    if (!res.ok) throw new Error(`${base}${n}.json: HTTP ${res.status}`);
    return res.text();
  }]));
}

/** A preset's title: its file's `meta.title`, else its name. The one place for it (start screen, Presets… menu, library). */
export function presetTitle(name: string, file: { meta?: { title?: unknown } } | null | undefined): string {
  const title = file?.meta?.title;
  return typeof title === 'string' && title.trim() ? title : name;
}

/** Every preset's title, read from its file (a preset that cannot be read keeps its name). */
export async function presetTitles(presets: PresetSource): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(Object.entries(presets).map(async ([name, load]) => {
    try {
      return [name, presetTitle(name, JSON.parse(await load()) as { meta?: { title?: unknown } })] as const;
    } catch {
      return [name, name] as const;
    }
  })));
}

/**
 * The app element as its controllers see it (`<lf-app>`, src/ui/app-shell.ts): what it was given, the
 * editor, the shared problem list and messages, and its other controllers.
 */
export interface AppHost extends ReactiveControllerHost {
  readonly catalog: Catalog | null;
  readonly startRun: StartRun | null;
  /** Seeds as one program (null: a seed comparison trains them one after another). */
  readonly startSeeds: StartSeeds | null;
  readonly presets: PresetSource;
  /** Where the datasets are served from (what the PyTorch export copies into its project). */
  readonly dataBase: string;
  readonly dbName: string;
  readonly autosaveDelay: number;
  readonly editor: LatentEditor | null;
  readonly document: GraphDocument;
  readonly session: RunSession;
  /** The Problems panel's list (the open graph's, or why a file, link or run was refused). */
  problems: Problem[];
  banner: string;
  startOpen: boolean;
  /** A short message over the canvas. */
  showHint(text: string): void;
  /** The library drawer lists the graphs again (one was saved, imported or copied). */
  refreshLibrary(): void;
}
