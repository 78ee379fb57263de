/** The registry: every node kind, listed once, explicitly. */
import { makeCatalog } from '../src/graph';
import type { NodeKind } from './define';
import { font7x5Dataset } from './dataset-font-7x5';
import { emojiDataset } from './dataset-emoji';
import { mnistDataset } from './dataset-mnist';
import { uploadDataset } from './dataset-upload';
import { saltPepperNoise } from './noise-salt-pepper';
import { gaussianNoise } from './noise-gaussian';
import { maskNoise } from './noise-mask';
import { denseEncoder } from './encoder-dense';
import { denseDecoder } from './decoder-dense';
import { deterministicLatent } from './latent-deterministic';
import { gaussianLatent } from './latent-gaussian';
import { reconstructionLoss } from './loss-reconstruction';
import { klLoss } from './loss-kl';
import { sparsityLoss } from './loss-sparsity';
import { optimizerTrainer } from './train-optimizer';
import { pixelErrorMetric } from './metric-pixel-error';
import { outlierMetric } from './metric-outlier';
import { encodeInference } from './infer-encode';
import { decodeInference } from './infer-decode';
import { interpolateInference } from './infer-interpolate';
import { gridInference } from './infer-grid';
import { sampleInference } from './infer-sample';
import { lossCurveView } from './view-loss-curve';
import { latentScatterView } from './view-latent-scatter';
import { imageGridView } from './view-image-grid';
import { reconstructionsView } from './view-reconstructions';
import { pixelErrorHistogramView } from './view-histogram';
import { outlierRankingView } from './view-outliers';
import { commentNote } from './note-comment';
import { frameNote } from './note-frame';

export const nodeKinds: readonly NodeKind[] = [
  font7x5Dataset, emojiDataset, mnistDataset, uploadDataset,
  saltPepperNoise, gaussianNoise, maskNoise,
  denseEncoder, denseDecoder, deterministicLatent, gaussianLatent,
  reconstructionLoss, klLoss, sparsityLoss,
  optimizerTrainer,
  pixelErrorMetric, outlierMetric,
  encodeInference, decodeInference, interpolateInference, gridInference, sampleInference,
  lossCurveView, latentScatterView, imageGridView, reconstructionsView, pixelErrorHistogramView, outlierRankingView,
  commentNote, frameNote,
];

/** Looks up node kinds by id. */
export const registry = makeCatalog(nodeKinds);

export * from './define';
export * from './results';
