import { expect } from '@esm-bundle/chai';
import type { Json } from '../../src/graph';
import { OutputCache, refreshGapPerCost, type OutputSource } from '../../src/runtime/output-cache';

/** Lets the cache's pending refreshes (promise continuations) run; no time passes on its clock. */
const settle = () => new Promise((r) => setTimeout(r, 0));

/** A source whose evaluations each take `cost` ms on a fake clock; `model` has weights upstream, `data` none. */
function fakeSource(cost: number) {
  const clock = { t: 0 };
  const evaluated: string[] = [];
  const source: OutputSource = {
    ready: async () => undefined,
    evaluate: async (id) => {
      evaluated.push(id);
      clock.t += cost;
      return evaluated.length as Json;
    },
    upstream: (id) => (id === 'model' ? ['data', 'enc', 'model'] : ['data']),
    hasWeights: (id) => id === 'enc',
    now: () => clock.t,
    alive: () => true,
    failed: (source, message) => {
      throw new Error(`${source}: ${message}`);
    },
  };
  return { clock, evaluated, source };
}

describe('the outputs of a run (output-cache)', () => {
  it('refresh an output while training no sooner than a few times its own evaluation after the last one', async () => {
    const cost = 100;
    const { clock, evaluated, source } = fakeSource(cost);
    const cache = new OutputCache(source, 1);
    const sub = cache.output$('model').subscribe();
    await settle();
    expect(evaluated).to.have.length(1);
    cache.weightsChanged();
    // As long after as the evaluation took: the throttle (1 ms) has passed, the gap not.
    clock.t += cost;
    cache.refresh(false);
    await settle();
    expect(evaluated, 'a refresh before the gap').to.have.length(1);
    clock.t += (refreshGapPerCost - 1) * cost;
    cache.refresh(false);
    await settle();
    expect(evaluated, 'a refresh after the gap').to.have.length(2);
    // Forced (paused, ended, a live param): at once.
    cache.weightsChanged();
    cache.refresh(true);
    await settle();
    expect(evaluated).to.have.length(3);
    sub.unsubscribe();
  });

  it('hold the outputs that read weights until released, and evaluate the others at once', async () => {
    const { evaluated, source } = fakeSource(10);
    const cache = new OutputCache(source, 0);
    cache.hold();
    const values: Json[] = [];
    const subs = [cache.output$('model').subscribe((v) => values.push(v)), cache.output$('data').subscribe()];
    await settle();
    expect(evaluated).to.deep.equal(['data']);
    cache.refresh(true);
    await settle();
    expect(evaluated, 'a refresh while held').to.deep.equal(['data']);
    cache.weightsChanged();
    cache.release();
    await settle();
    expect(evaluated).to.deep.equal(['data', 'model']);
    expect(values).to.have.length(1);
    for (const s of subs) s.unsubscribe();
  });
});
