import * as tf from '@tensorflow/tfjs';
import { expect } from '@esm-bundle/chai';
import { createRun, exportLayersModels, type ExportedModels } from '../../src/runtime';
import type { Problem } from '../../src/graph';
import { planOf, tinyAutoencoder } from './tiny-graphs';
import { testIO } from './test-io';

/** Saves a model to memory as model.json + weights, and loads it back the way users' code would. */
async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

describe('exporting a trained autoencoder as tfjs Layers models', () => {
  it('gives an encoder and decoder that tf.loadLayersModel runs to the same outputs as latentflow', async () => {
    const plan = planOf(tinyAutoencoder({ epochs: 30, units: [12] }));
    const run = createRun(plan, { io: await testIO(), backend: 'cpu' });
    await run.start();
    await run.finished;
    const ours = (await run.evaluate('dec', 'x')) as { rows: number[][] };
    const exported = exportLayersModels(plan, await run.getWeights()) as ExportedModels;
    expect((exported as unknown as Problem).message).to.equal(undefined);
    const encoder = await roundTrip(exported.encoder);
    const decoder = await roundTrip(exported.decoder);
    const data = tf.tensor2d(((await run.evaluate('data', 'x')) as { rows: number[][] }).rows);
    const theirs = tf.tidy(() => decoder.predict(encoder.predict(data) as tf.Tensor) as tf.Tensor2D);
    const values = (await theirs.array()) as number[][];
    expect(values.length).to.equal(ours.rows.length);
    values.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ours.rows[i]![j]!)).to.be.lessThan(1e-5)));
    for (const t of [data, theirs]) t.dispose();
    for (const m of [encoder, decoder, exported.encoder, exported.decoder]) m.dispose();
    await run.dispose();
  });

  it('refuses batch norm, which a Layers model cannot reproduce, naming the node', async () => {
    const doc = tinyAutoencoder();
    doc.nodes.find((n) => n.id === 'enc')!.params.batchNorm = true;
    const p = exportLayersModels(planOf(doc), {}) as Problem;
    expect(p.nodeId).to.equal('enc');
    expect(p.param).to.equal('batchNorm');
  });
});
