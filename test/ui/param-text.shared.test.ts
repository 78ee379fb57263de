// What ArrowUp/ArrowDown do to a number param in the inspector (steppedValue): sensible steps per param, its range kept.
import { expect } from '@esm-bundle/chai';
import type { IntParam, NumberParam } from '../../src/graph';
import { steppedValue } from '../../src/ui/param-text';

const int = (min: number, max: number): IntParam => ({ type: 'int', min, max, default: min });
const num = (o: Partial<NumberParam> & { min: number; max: number }): NumberParam => ({ type: 'number', default: o.min, ...o });

describe('steppedValue (inspector arrow keys)', () => {
  it('moves an int by 1 (Shift: 10) and stops at its range', () => {
    expect(steppedValue(int(1, 100), 5, 1)).to.equal(6);
    expect(steppedValue(int(1, 100), 5, -1, true)).to.equal(1);
    expect(steppedValue(int(1, 100), 100, 1)).to.equal(100);
  });

  it('moves a number by its declared step, else a hundredth of its range, landing on the step without float noise', () => {
    expect(steppedValue(num({ min: 0, max: 1, step: 0.1 }), 0.2, 1)).to.equal(0.3);
    expect(steppedValue(num({ min: 0, max: 0.5, step: 0.05 }), 0.1, 1, true)).to.equal(0.5);
    expect(steppedValue(num({ min: 0, max: 1, step: 0.01 }), 0.123, 1), 'onto the grid going up').to.equal(0.13);
    expect(steppedValue(num({ min: 0, max: 1, step: 0.01 }), 0.123, -1), 'onto the grid going down').to.equal(0.12);
    expect(steppedValue(num({ min: 0, max: 0.9999 }), 0.9, 1), 'no declared step: 0.001').to.equal(0.901);
    expect(steppedValue(num({ min: 1, max: 2 }), 1.05, -1)).to.equal(1.04);
  });

  it('moves a logarithmic number along 1, 2, 5, 10 (Shift: ×10), from 0 by its step', () => {
    const lr = num({ min: 0, max: 10, step: 0.0001, log: true });
    expect(steppedValue(lr, 0.005, 1)).to.equal(0.01);
    expect(steppedValue(lr, 0.005, -1)).to.equal(0.002);
    expect(steppedValue(lr, 0.003, 1), 'between rungs').to.equal(0.005);
    expect(steppedValue(lr, 0.001, -1)).to.equal(0.0005);
    expect(steppedValue(lr, 0.05, 1)).to.equal(0.1);
    expect(steppedValue(lr, 0.003, 1, true)).to.equal(0.03);
    expect(steppedValue(lr, 5, 1, true), 'not past its max').to.equal(10);
    expect(steppedValue(lr, 0, 1), 'up from 0').to.equal(0.0001);
  });
});
