/** What shape inference knows about the value on a socket, before any tensor exists. */
export type ImageShape = readonly [height: number, width: number, channels: number];

export interface DataShape {
  type: 'dataset' | 'batch';
  /** Features per sample (d of an [n, d] tensor). */
  features: number;
  /** How the features lay out as an image, when they do. */
  image?: ImageShape;
  /** The dataset shape that entered the network upstream, so a decoder can give it back. */
  origin?: { features: number; image?: ImageShape };
  /** Samples in the dataset, when known. */
  samples?: number;
}

export interface LatentShape {
  type: 'latent';
  dim: number;
  /** A reparameterised gaussian latent exposes mean and log-variance (and so a KL term). */
  gaussian: boolean;
  origin?: { features: number; image?: ImageShape };
}

export interface ModelShape {
  type: 'model';
  inputs: number;
  outputs: number;
  image?: ImageShape;
}

export interface LossShape { type: 'loss' }

export type MetricsOf = 'curve' | 'points' | 'images' | 'pixel-errors' | 'ranking';
export interface MetricsShape { type: 'metrics'; of: MetricsOf }

export type Shape = DataShape | LatentShape | ModelShape | LossShape | MetricsShape;

/** A problem found by a kind's shape inference, placed on its node (or upstream of an input). */
export interface InferIssue {
  message: string;
  socket?: string;
  param?: string;
  /** Blame the node that feeds this input instead (e.g. a decoder whose size does not match). */
  blameUpstreamOf?: string;
  blameParam?: string;
}

export interface InferResult {
  outputs: Record<string, Shape>;
  /** Trainable parameters this node will create. */
  paramCount?: number;
  /** Values per sample the node keeps inside (hidden layers) beyond its outputs, for the activation-memory estimate. */
  hidden?: number;
  /** Samples per training step this node sets (0: the whole dataset), for the activation-memory estimate. */
  batchSize?: number;
  issues?: InferIssue[];
}

export function imageSize(image: ImageShape): number {
  return image[0] * image[1] * image[2];
}
