// A tfjs Layers model saved through the library's IOHandler loads back (from the same database,
// not tfjs's own indexeddb://) and computes the same outputs.
import { expect } from '@esm-bundle/chai';
import * as tf from '@tensorflow/tfjs';
import { openLibrary } from '../../src/store/db';
import { libraryModel } from '../../src/store/weights';
import { cleanUp, uniqueDbName } from './helpers';

describe('tfjs IOHandler backed by the library', () => {
  afterEach(cleanUp);

  it('model.save → reload → tf.loadLayersModel gives the same outputs', async () => {
    await tf.setBackend('cpu');
    const name = uniqueDbName('tfjs');
    let lib = await openLibrary({ name });
    const model = tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [35], units: 8, activation: 'tanh' }),
      tf.layers.dense({ units: 2 }),
    ] });
    const x = tf.randomUniform([4, 35], 0, 1, 'float32', 42);
    const before = await (model.predict(x) as tf.Tensor).data();
    await model.save(libraryModel(lib, 'encoder'));
    lib.close();

    lib = await openLibrary({ name });
    const loaded = await tf.loadLayersModel(libraryModel(lib, 'encoder'));
    const after = await (loaded.predict(x) as tf.Tensor).data();
    expect([...after]).to.deep.equal([...before]);
    const dbs = (await indexedDB.databases()).map((d) => d.name);
    expect(dbs.some((n) => n === 'tensorflowjs')).to.equal(false);
    lib.close();
    tf.dispose([x, model, loaded] as never);
  });
});
