import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands, main } from '../../src/cli/main';
import { readSafetensors } from '../../src/runtime/pytorch/safetensors';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (l) => (out += `${l}\n`), err: (l) => (err += `${l}\n`) });
  return { code, out, err };
}

describe('latentflow export', () => {
  it('writes the font AE as a PyTorch project: scripts, data, weights under the Model\'s names, README', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lf-export-'));
    const r = await cli(['export', 'graphs/font-ae.json', '--to', 'pytorch', dir]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((await readdir(dir)).sort(), ['README.md', 'data', 'data.py', 'model.py', 'train.py', 'weights.safetensors']);
    const model = await readFile(join(dir, 'model.py'), 'utf8');
    assert.match(model, /^ {8}self\.enc = DenseEncoder\(35, \[64, 32\], \["tanh", "tanh"\], init="glorot"/m);
    assert.match(model, /^class DenseDecoder\(DenseStack\):$/m);
    assert.doesNotMatch(model, /\t| +$/m); // spaces only, no trailing blanks
    const { tensors } = readSafetensors(await readFile(join(dir, 'weights.safetensors')));
    assert.deepEqual(tensors.get('enc.layers.0.weight')!.shape, [64, 35]); // PyTorch's [out, in]
    assert.ok(tensors.has('code.dense.bias') && tensors.has('dec.layers.2.weight'));
    // Untrained: the README and the command say so instead of calling them trained weights.
    const readme = await readFile(join(dir, 'README.md'), 'utf8');
    assert.match(readme, /^Exported from latentflow with the graph's initial weights \(seed 1\), untrained/m);
    assert.doesNotMatch(readme, /trained in the browser|https:\/\/github\.com\/\)/);
    assert.match(r.out, /initial ones \(untrained\): add --train/);
  });

  it('every command prints its usage as lines on --help and after bad arguments (no escaped \\n)', async () => {
    for (const name of Object.keys(commands)) {
      const help = await cli([name, '--help']);
      assert.equal(help.code, 0, name);
      assert.ok(help.out.split('\n').length > 3, `${name} --help: ${help.out}`);
      assert.doesNotMatch(help.out, /\\n/, `${name} --help prints an escaped newline`);
      const bad = await cli([name, '--no-such-option']);
      assert.doesNotMatch(bad.err, /\\n/, `${name} usage after a bad option prints an escaped newline`);
    }
  });

  it('refuses bad arguments and a folder in use, and names what it cannot export', async () => {
    assert.equal((await cli(['export', 'graphs/font-ae.json', '--to', 'onnx', '/tmp/x'])).code, 2);
    assert.equal((await cli(['export', 'graphs/font-ae.json'])).code, 2);
    const used = await mkdtemp(join(tmpdir(), 'lf-export-'));
    await writeFile(join(used, 'keep.txt'), 'mine');
    const r = await cli(['export', 'graphs/font-ae.json', '--to', 'pytorch', used]);
    assert.equal(r.code, 2);
    assert.match(r.err, /is not empty/);
    assert.deepEqual(await readdir(used), ['keep.txt']);
  });
});
