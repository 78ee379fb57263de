/** Compiles graphs and runs them: RxJS streams over tfjs. DOM-free (Worker and Node). */
export { compile, structureHash, ancestorsInOrder, type Plan, type PlanNode, type CompileResult } from './compile';
export { createRun, type RunOptions } from './run';
export { selectBackend, backendThreads, backendNames, fallbackAfter, type BackendName, type BackendChoice } from './backend';
export { deriveSeed, mulberry32, permutation, hashString } from './rng';
export type { Run, RunState, RunStatus, Progress, LossSeries, MetricsBatch, OptimizerState, RunEvent, NamedWeights, Checkpoint } from './types';
export { exportLayersModels, type ExportedModels } from './export-layers';
export { compareSeeds, summarizeSeeds, metricScalars, meanStd, type SeedRun, type SeedStat, type CompareSeedsOptions } from './seeds';
