import { expect } from '@esm-bundle/chai';
import { PyWriter, expr, pyCall, pyIdentifiers, pyLiteral, tuple } from '../../nodes/python';
import { readSafetensors, writeSafetensors } from '../../src/runtime/pytorch/safetensors';

describe('Python printer', () => {
  it('prints values as Python literals', () => {
    expect(pyLiteral({ a: [1, 0.5, true, null], 'b"c': 'x\n"y"' })).to.equal('{"a": [1, 0.5, True, None], "b\\"c": "x\\n\\"y\\""}');
    expect(pyLiteral(tuple(1))).to.equal('(1,)');
    expect(pyCall('f', [expr('x'), 2], { k: 'v', skip: undefined })).to.equal('f(x, 2, k="v")');
  });

  it('indents blocks by four spaces and keeps PEP 8 blank lines', () => {
    const w = new PyWriter();
    w.line('import torch').blank(2).block('def f(x)', (b) => b.block('if x', (i) => i.line('return 1')).line('return 2'));
    w.blank(2).blank(2).block('class A', () => {});
    expect(w.toString()).to.equal('import torch\n\n\ndef f(x):\n    if x:\n        return 1\n    return 2\n\n\nclass A:\n    pass\n');
  });

  it('turns any node ids into distinct identifiers that are neither keywords nor taken', () => {
    const ids = pyIdentifiers(['enc', 'my-enc', 'my_enc', '1st', 'class', '__proto__', 'x', 'constructor'], ['x']);
    expect([...ids.values()]).to.deep.equal(['enc', 'my_enc', 'my_enc_2', 'n_1st', 'n_class', 'n___proto__', 'x_2', 'constructor']);
  });
});

describe('safetensors', () => {
  it('writes what it reads back: 8-byte aligned header, float32 data, metadata', () => {
    const tensors = new Map([['a.weight', { shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6.5]) }], ['b', { shape: [1], values: Float32Array.of(-0.25) }]]);
    const bytes = writeSafetensors(tensors, { epoch: '3' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).to.equal(0);
    const back = readSafetensors(bytes);
    expect(back.metadata).to.deep.equal({ epoch: '3' });
    expect([...back.tensors.keys()]).to.deep.equal(['a.weight', 'b']);
    expect(Array.from(back.tensors.get('a.weight')!.values)).to.deep.equal([1, 2, 3, 4, 5, 6.5]);
    expect(back.tensors.get('b')!.shape).to.deep.equal([1]);
    expect(() => writeSafetensors(new Map([['c', { shape: [2], values: Float32Array.of(1) }]]))).to.throw(/holds 2 values/);
  });
});
