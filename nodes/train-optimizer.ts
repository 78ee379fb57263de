import { choice, defineNode, int, number, optional, socket, string } from './define';
import { kindParams, type ParamsMigration, type ParamsOf } from '../src/graph';
import { joined, short } from './summaries';

/** v1 (the first prototype) called the learning rate `learningRate`. */
export const migrateOptimizerV1toV2: ParamsMigration = (params) => {
  const { learningRate, ...rest } = params;
  return learningRate === undefined || Object.hasOwn(rest, 'lr') ? { ...rest } : { ...rest, lr: learningRate };
};

const optimizerTitles: Record<string, string> = { adam: 'Adam', sgd: 'SGD', momentum: 'SGD + momentum', rmsprop: 'RMSprop' };
const optimizerTitle = (name: unknown) => optimizerTitles[String(name)] ?? String(name);

/** Sums the loss terms and trains every weight upstream of them. */
export const optimizerTrainer = defineNode({
  kind: 'train.optimizer', version: 2, title: 'Trainer', category: 'train', singleton: true,
  summary: (p) => joined(optimizerTitle(p.optimizer), `lr ${short(p.lr)}`, `${p.epochs} ep`),
  description: 'Minimises the sum of its loss terms with Adam, SGD (with momentum) or RMSprop.',
  inputs: { loss: socket('loss', { multi: true, label: 'loss terms' }) },
  outputs: { metrics: socket('metrics', { label: 'loss curves' }) },
  params: {
    optimizer: choice({ options: ['adam', 'sgd', 'momentum', 'rmsprop'], default: 'adam' }),
    lr: number({ min: 0, max: 10, default: 0.005, live: true, log: true, step: 0.0001, label: 'learning rate' }),
    beta1: number({ min: 0, max: 0.9999, default: 0.9, label: 'β1 (Adam)', when: { optimizer: 'adam' } }),
    beta2: number({ min: 0, max: 0.99999, default: 0.999, label: 'β2 (Adam)', when: { optimizer: 'adam' } }),
    momentum: number({ min: 0, max: 0.999, default: 0.8, when: { optimizer: ['momentum', 'rmsprop'] } }),
    schedule: choice({ options: ['constant', 'step', 'exponential', 'adaptive'], default: 'constant', live: true }),
    decayRate: number({ min: 0.01, max: 1, default: 0.5, live: true, when: { schedule: ['step', 'exponential'] }, help: 'step: ×rate every N epochs; exponential: ×rate per N epochs, smoothly.' }),
    decayEvery: int({ min: 1, max: 1_000_000, default: 1000, live: true, label: 'decay every (epochs)', when: { schedule: ['step', 'exponential'] } }),
    adaptiveAfter: int({ min: 1, max: 1000, default: 5, live: true, label: 'grow after (epochs)', when: { schedule: 'adaptive' }, help: 'adaptive: grow lr after this many better epochs in a row.' }),
    adaptiveGrow: number({ min: 1, max: 2, default: 1.05, live: true, label: 'grow by', when: { schedule: 'adaptive' } }),
    adaptiveShrink: number({ min: 0.01, max: 1, default: 0.5, live: true, label: 'shrink by', when: { schedule: 'adaptive' }, help: 'adaptive: ×this after a worse epoch.' }),
    epochs: int({ min: 1, max: 1_000_000, default: 2000, live: true }),
    batchSize: int({ min: 0, max: 65_536, default: 0, help: '0: the whole dataset in one batch.' }),
    testSplit: number({ min: 0, max: 0.5, default: 0, step: 0.05, label: 'test split', help: 'Hold out this fraction of the samples (drawn with the seed) and plot their loss beside the training loss; early stopping then watches it. 0: train on everything.' }),
    testEvery: int({ min: 1, max: 1_000_000, default: 1, live: true, when: { testSplit: { not: 0 } }, label: 'test every', help: 'Epochs between test-loss measurements.' }),
    patience: int({ min: 0, max: 1_000_000, default: 0, live: true, help: 'Stop after this many epochs without improvement of the loss (0: never). With a test split it watches the test loss and counts its measurements.' }),
    minDelta: number({ min: 0, max: 1, default: 0, live: true, label: 'min improvement', when: { patience: { not: 0 } } }),
    seed: int({ min: 0, max: 2_147_483_647, default: 1 }),
    warmStartFrom: optional(string({ default: '', maxLength: 200, label: 'warm start from', help: 'Start from the trained weights of a saved graph (its title or id in your library), where node ids and shapes match.' })),
  },
  migrations: { 1: migrateOptimizerV1toV2 },
  infer: (_in, p) => ({ outputs: { metrics: { type: 'metrics', of: 'curve' } }, batchSize: p.batchSize }),
});

/** The trainer's params as the runtime reads them. */
export type TrainerParams = ParamsOf<typeof optimizerTrainer.params>;

/** The params that move the learning rate: a live change of one re-applies the schedule at once. */
export const lrParams = ['lr', 'schedule', 'decayRate', 'decayEvery'] as const satisfies readonly (keyof TrainerParams)[];

/** A trainer node's params, checked against their declarations (a validated graph's always pass). */
export function trainerParams(params: Readonly<Record<string, unknown>>): TrainerParams {
  const p = kindParams(optimizerTrainer.params, params);
  if (!p) throw new Error("the trainer's params do not match its declaration (the graph was not validated)");
  return p;
}
