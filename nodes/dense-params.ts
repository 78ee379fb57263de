import { bool, choice, choiceList, intList, number, optional } from './define';
import { activationNames, initNames } from './activations';
import { limits, type InferIssue, type ParamsOf } from '../src/graph';

/** The params every dense stack shares (encoder and decoder). */
export function denseStackParams(defaultUnits: number[], defaultActivation: (typeof activationNames)[number]) {
  return {
    units: intList({ min: 1, max: limits.layerUnits, default: defaultUnits, maxLength: 16, structural: true, help: 'Hidden layer sizes, e.g. 60, 50, 30.' }),
    activation: choice({ options: activationNames, default: defaultActivation, structural: true }),
    activations: optional(choiceList({ options: activationNames, default: [], maxLength: 16, structural: true, help: 'One activation per layer (overrides the one above).' })),
    init: choice({ options: initNames, default: 'glorot', structural: true }),
    dropout: number({ min: 0, max: 0.9, default: 0, step: 0.05, live: true }),
    batchNorm: bool({ default: false, structural: true }),
  };
}

/** A dense stack's params as its code reads them. */
export type DenseStackParams = ParamsOf<ReturnType<typeof denseStackParams>>;

/** Per-layer activations must match the layers one to one. */
export function checkActivations(p: DenseStackParams): InferIssue[] {
  const per = p.activations;
  const units = p.units;
  if (per && per.length > 0 && per.length !== units.length) {
    return [{ param: 'activations', message: `params.activations has ${per.length} items but there are ${units.length} layers; give one per layer or leave it empty` }];
  }
  return [];
}
