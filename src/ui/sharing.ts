import { sameWeights, type GraphDoc } from '../graph';
import { errorMessage } from '../lib/error-message';
import type { NamedWeights } from '../runtime/types';
import { bundleExtension, fileNameFor, graphLink, listRuns, writeBundle } from '../store';
import type { AppHost } from './app-host';
import { download } from './downloads';
import { runtimeModule } from './runtime-lazy';

/**
 * The Share menu of `<lf-app>`: a link holding the graph, a model bundle, a tfjs Layers model, a PyTorch
 * project. It keeps no state that renders and has no lifecycle, so unlike the app's two reactive
 * controllers it is a plain part of the host.
 */
export class Sharing {
  /** The last link made by "Copy link" (tests read it). */
  lastLink = '';

  constructor(private readonly host: AppHost) {}

  /** Share menu: a link, a model bundle, a Layers model or a PyTorch project. */
  async share(what: string): Promise<void> {
    const { editor } = this.host;
    if (!editor) return;
    const doc = editor.getDoc();
    if (what === 'link') return this.copyLink(doc);
    const weights = await this.host.session.currentWeights();
    if (!weights) return this.host.showHint('Train the model first: there are no trained weights to export');
    if (what === 'bundle') return this.exportBundle(doc, weights);
    if (what === 'pytorch') return this.exportPytorchZip(doc, weights);
    if (what === 'layers') return this.exportLayers(doc, weights);
  }

  /** Copy link: the graph (not its weights) in the address's `#g=` part. */
  private async copyLink(doc: GraphDoc): Promise<void> {
    const link = graphLink(doc);
    if (!link.ok) {
      this.host.problems = [...this.host.problems.filter((p) => p.path !== 'link'), { ...link.problem, path: 'link' }];
      return this.host.showHint(link.problem.message);
    }
    this.lastLink = `${location.origin}${location.pathname}${link.value}`;
    try {
      await navigator.clipboard.writeText(this.lastLink);
      this.host.showHint('Link copied: it holds the graph (not the trained weights)');
    } catch {
      this.host.showHint(`Copy this link: ${this.lastLink}`);
    }
  }

  /** A `.lflow` bundle: the graph, its trained weights and the loss history behind them. */
  private async exportBundle(doc: GraphDoc, weights: NamedWeights): Promise<void> {
    const { session } = this.host;
    const { library, graphId } = this.host.document;
    const fromRun = session.run?.history();
    const metrics = fromRun?.steps.length ? fromRun : (session.trainedHistory ?? (library && graphId ? (await listRuns(library, graphId))[0]?.history : undefined));
    const bytes = writeBundle({ doc, weights, metrics, ...(session.trainedHash ? { structureHash: session.trainedHash } : {}) });
    download(fileNameFor(doc, bundleExtension), bytes, 'application/zip');
  }

  /** The encoder and decoder as tfjs Layers models (model.json + weights.bin each). */
  private async exportLayers(doc: GraphDoc, weights: NamedWeights): Promise<void> {
    const compiled = await this.compile(doc);
    if (!compiled) return;
    const { rt, plan } = compiled;
    const models = rt.exportLayersModels(plan, weights);
    if (!('decoder' in models)) return this.host.showHint(`Cannot export: ${models.message}`);
    const base = fileNameFor(doc, '');
    try {
      // tfjs's browser-downloads handler (model.json + weights.bin) behind its `downloads://` scheme.
      await models.encoder.save(`downloads://${base}-encoder`);
      await models.decoder.save(`downloads://${base}-decoder`);
      this.host.showHint('Exported encoder and decoder (model.json + weights.bin each); tf.loadLayersModel reads them');
    } finally {
      models.encoder.dispose();
      models.decoder.dispose();
    }
  }

  /** Share → PyTorch project: model.py, data.py, train.py, the trained weights and the data, zipped in one folder. */
  private async exportPytorchZip(doc: GraphDoc, weights: NamedWeights): Promise<void> {
    const compiled = await this.compile(doc);
    if (!compiled) return;
    const { rt, plan } = compiled;
    const { fetchIO } = await import('../runtime/io-fetch');
    const { zipSync } = await import('fflate');
    // The newest checkpoint, when it holds these very weights (a run keeps one as it ends), brings Adam's
    // state along, so train.py --resume continues the same optimisation.
    const cp = this.host.session.resumable;
    const kept = cp && sameWeights(cp.weights, weights) ? cp : null;
    const epochs = this.host.session.run?.history().epochs.at(-1);
    const trainedEpochs = epochs !== undefined ? epochs + 1 : kept?.epoch;
    const result = await rt.exportPytorch(plan, { io: fetchIO(this.host.dataBase), weights,
      ...(trainedEpochs === undefined ? {} : { trainedEpochs }), ...(kept?.optimizer ? { optimizerState: kept.optimizer } : {}) })
      .catch((e: unknown) => ({ ok: false as const, problems: [{ severity: 'error' as const, path: '', message: errorMessage(e) }] }));
    if (!result.ok) return this.host.showHint(`Cannot export to PyTorch: ${result.problems[0]?.message ?? 'unknown problem'}`);
    const folder = fileNameFor(doc, '-pytorch');
    download(`${folder}.zip`, zipSync(Object.fromEntries(result.files.map((f) => [`${folder}/${f.path}`, f.bytes]))), 'application/zip');
    this.host.showHint('Exported a PyTorch project: unzip it and run `python train.py --resume` (see its README)');
  }

  /** The graph compiled by the lazily loaded runtime (the exports need its plan); null, and a hint, when it does not compile. */
  private async compile(doc: GraphDoc) {
    const rt = await runtimeModule();
    const c = rt.compile(doc, this.host.catalog as Parameters<typeof rt.compile>[1]);
    if (c.ok) return { rt, plan: c.plan };
    this.host.showHint(c.problems[0]?.message ?? 'the graph does not compile');
    return null;
  }
}
