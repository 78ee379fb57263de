// When a run's subscribed outputs are evaluated again (src/runtime/output-cache.ts), with a fake source:
// no tensors, the evaluations resolve when the test says.
import { expect } from '@esm-bundle/chai';
import type { Json } from '../../src/graph';
import { OutputCache, type OutputSource } from '../../src/runtime/output-cache';

/** A source whose evaluations wait until `finish()`; each one returns the weights version it started on. */
function slowSource() {
  let clock = 0;
  let version = 0;
  const waiting: (() => void)[] = [];
  const started: number[] = [];
  const source: OutputSource = {
    evaluate: (): Promise<Json> => {
      const v = version;
      started.push(v);
      return new Promise((resolve) => waiting.push(() => resolve(v)));
    },
    upstream: (id) => [id],
    hasWeights: () => true,
    now: () => clock,
    alive: () => true,
    failed: (source, message) => { throw new Error(`${source}: ${message}`); },
  };
  return {
    source, started,
    step: () => { version++; clock += 1000; },
    finish: async () => { waiting.shift()!(); for (let i = 0; i < 5; i++) await Promise.resolve(); },
    get waiting() { return waiting.length; },
  };
}

describe('output refresh', () => {
  it('a forced refresh that comes while an evaluation is under way runs when it ends: the last value is the trained model', async () => {
    const s = slowSource();
    const cache = new OutputCache(s.source, 250);
    const seen: Json[] = [];
    const sub = cache.output$('scatter').subscribe((v) => seen.push(v));
    expect(s.started).to.deep.equal([0]);
    // Training goes on while the first evaluation runs; the run ends and forces a refresh of the final model.
    s.step(); cache.weightsChanged();
    s.step(); cache.weightsChanged();
    cache.refresh(true);
    expect(s.waiting, 'one evaluation at a time').to.equal(1);
    await s.finish();
    expect(seen).to.deep.equal([0]);
    expect(s.started, 'the forced refresh runs once the first evaluation ends').to.deep.equal([0, 2]);
    await s.finish();
    expect(seen).to.deep.equal([0, 2]);
    expect(s.waiting).to.equal(0);
    sub.unsubscribe();
  });

  it('a throttled refresh during an evaluation is dropped, not queued: training is not slowed by back-to-back evaluations', async () => {
    const s = slowSource();
    const cache = new OutputCache(s.source, 250);
    const sub = cache.output$('scatter').subscribe();
    s.step(); cache.weightsChanged();
    cache.refresh(false);
    await s.finish();
    expect(s.started).to.deep.equal([0]);
    expect(s.waiting).to.equal(0);
    sub.unsubscribe();
  });
});
