/** The Lit components of the app (custom elements prefixed `lf-`). */
export { LfApp, fetchedPresets, type StartRun, type StartRunOptions, type StartSeeds, type PresetSource } from './app-shell';
export { LfInspector, type ParamChange } from './inspector';
export { LfProblems } from './problems-list';
export { LfRunControls, type RunAction } from './run-controls';
export { LfLossCurve } from './loss-curve';
export { LfResultView } from './result-view';
export { LfViews } from './views-panel';
export { LfViewCard } from './view-card';
export { LfNodePreview, type ViewContext } from './node-preview';
export { LfLibrary } from './library-drawer';
export { LfHelp } from './help-panel';
export { RxController, perFrame } from './rx-controller';
export { paramToText, parseParamText } from './param-text';
export { LfSeedCompare, type SeedRunFactory, type SeedsTogether } from './seed-compare';
export { LfSweep, type SweepRunFactory, type SweepGroup } from './sweep-panel';
