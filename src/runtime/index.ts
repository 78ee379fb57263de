/** Compiles graphs and runs them: RxJS streams over tfjs. DOM-free (Worker and Node). The tfjs-free half: ./core. */
export * from './core';
export { createRun } from './run';
export { selectBackend, backendThreads, fallbackAfter, type BackendChoice } from './backend';
export { exportLayersModels, type ExportedModels } from './export-layers';
export { exportPytorch, type ExportFile, type PytorchExport } from './pytorch/export';
