import { choice, defineNode, int, socket, type BatchValue } from './define';
import { DenseStack } from './dense-stack';
import { activationNames } from './activations';
import { asData, denseParamCount } from './shape-helpers';
import { joined } from './summaries';

/** Projects features to a `dim`-dimensional code (the plain autoencoder's bottleneck). */
export const deterministicLatent = defineNode({
  kind: 'latent.deterministic', version: 1, title: 'Latent code', category: 'latent',
  summary: (p) => joined(`${p.dim}-D`, p.activation !== 'linear' && String(p.activation)),
  inputs: { h: socket('batch') },
  outputs: { z: socket('latent') },
  params: {
    dim: int({ min: 1, max: 512, default: 2, structural: true }),
    activation: choice({ options: activationNames, default: 'linear', structural: true }),
  },
  infer: (inputs, p) => {
    const h = asData(inputs.h)!;
    const dim = p.dim as number;
    return { outputs: { z: { type: 'latent', dim, gaussian: false, origin: h.origin } }, paramCount: denseParamCount(h.features, [dim]) };
  },
  build: ({ params: p, inputs, seed }) => {
    const stack = new DenseStack(asData(inputs.h)!.features, [{ units: p.dim as number, activation: p.activation as string }], { init: 'glorot', seed });
    return {
      variables: stack.variables,
      forward: ({ h }) => ({ z: { z: stack.apply(h as BatchValue, { train: false, dropout: 0, seed }) } }),
      dispose: () => stack.dispose(),
    };
  },
});
