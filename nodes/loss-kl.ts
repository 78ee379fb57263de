import type * as tf from '@tensorflow/tfjs';
import { tfjs } from './tfjs';
import { defineNode, int, number, socket, type LatentValue } from './define';
import { asLatent } from './shape-helpers';
import { pyCall, expr } from './python';
import { joined, short } from './summaries';

/** KL(q(z|x) ‖ N(0, I)) of a gaussian latent, weighted by β (optionally warmed up from 0). */
export const klLoss = defineNode({
  kind: 'loss.kl', version: 1, title: 'KL divergence', category: 'loss',
  summary: (p) => joined(`β ${short(p.beta)}`, Number(p.warmupEpochs) > 0 && `warm-up ${p.warmupEpochs} ep`),
  inputs: { z: socket('latent') },
  outputs: { loss: socket('loss') },
  params: {
    beta: number({ min: 0, max: 100, default: 1, live: true, step: 0.01 }),
    warmupEpochs: int({ min: 0, max: 100_000, default: 0, help: 'Raise β linearly from 0 over this many epochs.' }),
  },
  infer: (inputs) => {
    const z = asLatent(inputs.z)!;
    return { outputs: { loss: { type: 'loss' } },
      issues: z.gaussian ? [] : [{ socket: 'z', message: 'needs a gaussian latent (latent.gaussian): a deterministic code has no KL term' }] };
  },
  build: () => ({
    variables: {},
    forward: ({ z }, ctx) => {
      const { mean, logVar } = z as LatentValue;
      const warmup = ctx.params.warmupEpochs;
      const beta = (ctx.params.beta) * (warmup > 0 ? Math.min(1, ctx.epoch / warmup) : 1);
      return { loss: { loss: tfjs.mul(klDivergence(mean!, logVar!), beta) as tf.Scalar } };
    },
    dispose: () => {},
  }),
  seeds: 'stacked',
  pytorch: {
    role: 'loss',
    needs: [{
      name: 'kl_loss',
      write: (w) => w.block('def kl_loss(latent, beta=1.0, warmup_epochs=0, epoch=0)', (b) => b
        .doc('loss.kl: KL(N(mean, exp(log_var)) || N(0, I)) summed over dimensions, averaged over samples, times\nbeta (raised linearly from 0 over warmup_epochs).')
        .line('scale = beta * (min(1.0, epoch / warmup_epochs) if warmup_epochs > 0 else 1.0)')
        .line('kl = -0.5 * torch.mean(torch.sum(1 + latent.log_var - latent.mean**2 - torch.exp(latent.log_var), 1))')
        .line('return kl * scale')),
    }],
    call: (n, inputs, epoch) => pyCall('kl_loss', [expr(inputs.z!)], { beta: n.params.beta, warmup_epochs: n.params.warmupEpochs, epoch: expr(epoch) }),
  },
});

/** KL(N(μ, σ²) ‖ N(0, 1)) summed over latent dimensions, averaged over samples. */
export function klDivergence(mean: tf.Tensor2D, logVar: tf.Tensor2D): tf.Scalar {
  // Over the last axes only: seed-stacked codes [S, n, d] give each seed's KL (seed batching).
  return tfjs.tidy(() => tfjs.mul(-0.5, tfjs.mean(tfjs.sum(tfjs.sub(tfjs.add(1, logVar), tfjs.add(tfjs.square(mean), tfjs.exp(logVar))), -1), -1)) as tf.Scalar);
}
