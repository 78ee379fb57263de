// Params typed from their declarations (ParamsOf): what a kind's code reads, and what reaches a label or
// summary from a file (kindParams, kindLabel). The type-level half is checked by `npm run typecheck`
// (the @ts-expect-error lines fail it when the types stop catching the mistake they name).
import { expect } from '@esm-bundle/chai';
import { bool, choice, int, intList, kindLabel, kindParams, number, optional, type ParamsOf } from '../../src/graph';
import { defineNode } from '../../nodes/define';
import { registry } from '../../nodes';

const specs = {
  units: intList({ min: 1, max: 10, default: [4, 2] }),
  act: choice({ options: ['relu', 'tanh'], default: 'relu' }),
  lr: number({ min: 0, max: 1, default: 0.1 }),
  outputSize: optional(int({ min: 1, max: 9, default: 3 })),
  on: bool({ default: true }),
};

describe('typed params', () => {
  it('a kind reads its params as declared: lists, the options of a choice, null only where optional', () => {
    type P = ParamsOf<typeof specs>;
    const p: P = { units: [3], act: 'tanh', lr: 0.5, outputSize: null, on: false };
    // @ts-expect-error a choice takes only its options
    const wrongChoice: P = { ...p, act: 'sigmoid' };
    // @ts-expect-error a param that is not optional is never null
    const wrongNull: P = { ...p, lr: null };
    // @ts-expect-error a list param is a list
    const wrongList: P = { ...p, units: 3 };
    expect([wrongChoice.act, wrongNull.lr, wrongList.units]).to.deep.equal(['sigmoid', null, 3]);
    const kind = defineNode({
      kind: 'test.typed', version: 1, title: 'Typed', category: 'note', inputs: {}, outputs: {}, params: specs,
      // The summary sees the declared types without a cast: units.map and act's options type-check.
      summary: (q) => `${q.act} ${q.units.map((u) => u * 2).join(' ')}${q.outputSize === null ? '' : ` → ${q.outputSize}`}`,
    });
    expect(kind.summary!(p)).to.equal('tanh 6');
  });

  it('what reaches a label or summary from a file: missing params at their defaults, nothing when a value is broken', () => {
    expect(kindParams(specs, { units: [1, 2, 3] })).to.deep.equal({ units: [1, 2, 3], act: 'relu', lr: 0.1, outputSize: null, on: true });
    expect(kindParams(specs, { act: 'sigmoid' }), 'not one of the options').to.equal(null);
    expect(kindParams(specs, { units: 'abc' }), 'not a list').to.equal(null);
    expect(kindParams(specs, { lr: 7 }), 'out of range').to.equal(null);
    // An inherited member is not a param (a prototype name as a key).
    expect(kindParams({ constructor: bool({ default: true }) }, {})).to.deep.equal({ constructor: true });
  });

  it("a comment's label is its text; a broken text gives no label, so the node shows its kind's title", () => {
    const comment = registry.get('note.comment')!;
    expect(kindLabel(comment, { text: 'Read me' })).to.match(/Read me/);
    expect(kindLabel(comment, { text: 42 })).to.equal(undefined);
    expect(kindLabel(registry.get('encoder.dense')!, {})).to.equal(undefined);
  });
});
