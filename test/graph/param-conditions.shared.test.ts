// Declared param conditions (`when`) and labels: what the inspector shows, derived from the kind's declaration.
import { expect } from '@esm-bundle/chai';
import { checkParam, defaultParams, paramApplies, paramLabel, type ParamSpec } from '../../src/graph';
import { nodeKinds, registry } from '../../nodes';

describe('param conditions and labels', () => {
  it('a condition holds for an equal value, one of a list, or anything but a { not } value', () => {
    const spec = (when: ParamSpec['when']) => ({ type: 'bool', default: false, when }) as ParamSpec;
    expect(paramApplies(spec({ optimizer: 'momentum' }), { optimizer: 'momentum' })).to.equal(true);
    expect(paramApplies(spec({ optimizer: 'momentum' }), { optimizer: 'adam' })).to.equal(false);
    expect(paramApplies(spec({ optimizer: ['momentum', 'rmsprop'] }), { optimizer: 'rmsprop' })).to.equal(true);
    expect(paramApplies(spec({ optimizer: ['momentum', 'rmsprop'] }), { optimizer: 'sgd' })).to.equal(false);
    expect(paramApplies(spec({ testSplit: { not: 0 } }), { testSplit: 0.25 })).to.equal(true);
    expect(paramApplies(spec({ testSplit: { not: 0 } }), { testSplit: 0 })).to.equal(false);
    expect(paramApplies(spec({ a: 1, b: true }), { a: 1, b: false })).to.equal(false);
    expect(paramApplies(spec(undefined), {})).to.equal(true);
    // An inherited member is not a param.
    expect(paramApplies(spec({ constructor: 'x' }), {})).to.equal(false);
  });

  it('momentum applies to the momentum optimizer only, the noise range to random noise only', () => {
    const trainer = registry.get('train.optimizer')!;
    const p = defaultParams(trainer.params);
    expect(paramApplies(trainer.params.momentum!, p)).to.equal(false);
    expect(paramApplies(trainer.params.beta1!, p)).to.equal(true);
    expect(paramApplies(trainer.params.momentum!, { ...p, optimizer: 'momentum' })).to.equal(true);
    const noise = registry.get('noise.salt-pepper')!;
    const n = defaultParams(noise.params);
    expect(paramApplies(noise.params.pMin!, n)).to.equal(false);
    expect(paramApplies(noise.params.p!, n)).to.equal(true);
    expect(paramApplies(noise.params.pMax!, { ...n, mode: 'random-per-epoch' })).to.equal(true);
    expect(paramApplies(noise.params.p!, { ...n, mode: 'random-per-epoch' })).to.equal(false);
  });

  it('every declared condition names another param of the kind with values that param can take', () => {
    let conditions = 0;
    for (const kind of nodeKinds) {
      for (const [name, spec] of Object.entries(kind.params)) {
        for (const [other, want] of Object.entries(spec.when ?? {})) {
          conditions++;
          const target = kind.params[other];
          expect(target, `${kind.kind}.${name} when ${other}`).to.not.equal(undefined);
          expect(other).to.not.equal(name);
          const values = Array.isArray(want) ? want : want !== null && typeof want === 'object' ? [(want as { not: unknown }).not] : [want];
          for (const v of values) expect(checkParam(target!, v), `${kind.kind}.${name} when ${other} = ${String(v)}`).to.deep.equal([]);
        }
      }
    }
    expect(conditions).to.be.greaterThan(5);
  });

  it('labels: the declared one, else the name with camelCase split, never cut', () => {
    expect(paramLabel('lr', { label: 'learning rate' })).to.equal('learning rate');
    expect(paramLabel('decayEvery', {})).to.equal('decay every');
    expect(paramLabel('pMin', {})).to.equal('p min');
    expect(paramLabel('outputActivation', {})).to.equal('output activation');
    expect(paramLabel('batchNorm', {})).to.equal('batch norm');
    expect(paramLabel('beta1', {})).to.equal('beta1');
  });
});
