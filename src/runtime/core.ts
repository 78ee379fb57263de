/**
 * The runtime's tfjs-free entry: what the UI thread, the store's callers and the CLI's argument parsing
 * need without loading tfjs (run types and records, the Worker protocol, loss histories, seed summaries,
 * compile, backend names). `src/runtime/index.ts` adds the tfjs half (createRun, backends, the Layers export).
 * The import rules (scripts/import-rules.ts) check that nothing here reaches tfjs.
 */
export { compile, ancestorsInOrder, type Plan, type PlanNode, type CompileResult } from './compile';
export { backendNames, backendNamed, type BackendName } from './backend-names';
export { deriveSeed, mulberry32, permutation, hashString } from './rng';
export { isFinished, forwardedRunMethods } from './types';
export type { Run, RunState, RunStatus, RunOptions, ForwardedRunMethod, Progress, LossSeries, MetricsBatch, OptimizerState, RunEvent, NamedWeights, Checkpoint } from './types';
export { isRunMethod, weightBuffers, workerMethods } from './worker-protocol';
export type { FromWorker, NodeInfo, RunCalls, RunMethod, ThreadLocalOption, ToWorker, WorkerRunConfig } from './worker-protocol';
export { historyStore, copyHistory } from './history';
export { RunStreams } from './run-streams';
export { compareSeeds, summarizeSeeds, metricScalars, meanStd, type SeedRun, type SeedStat, type CompareSeedsOptions } from './seeds';
