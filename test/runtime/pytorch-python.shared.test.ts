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
    // A leading _ is Python's private name (nn.Module's _modules, _parameters): prefixed too.
    expect([...pyIdentifiers(['_modules', '_']).values()]).to.deep.equal(['n__modules', 'n__']);
  });

  it('escapes a docstring and a comment: no text closes the string, makes an escape or holds a NUL (issue 13)', () => {
    expect(new PyWriter().doc('a """ b\\N{x} end"').toString()).to.equal('"""a \\"\\"" b\\\\N{x} end\\""""\n');
    expect(new PyWriter().doc('one\ntwo\0\rx').toString()).to.equal('"""one\ntwo\\x00\\rx\n"""\n');
    expect(new PyWriter().comment('a\0b c').toString()).to.equal('# a\\x00b c\n');
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
