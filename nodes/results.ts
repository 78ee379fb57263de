/**
 * The plain-JSON results that metric and inference nodes give back from `evaluate`, and that the
 * views draw. Every result names its `kind`, so a view can check what it was given. They are type
 * aliases (not interfaces) so that they are assignable to `Json`.
 */

/** `metric.pixel-error`: wrong pixels (|x̂ − x| > threshold) per sample, in dataset order. */
export type PixelErrorsResult = {
  kind: 'pixel-errors';
  threshold: number;
  /** Wrong pixels of each sample. */
  perSample: number[];
  labels?: string[];
  /** The worst sample's count, and the mean count. */
  max: number;
  mean: number;
  /** How many samples have `errors` wrong pixels, for every count from 0 to `max`. */
  histogram: { errors: number; count: number }[];
  /** Mean squared error of each sample (what matters for non-binary data). */
  mse: number[];
  /** With a test split: the samples held out of training, and the mean and max wrong pixels of those and of the rest. */
  heldOut?: number[];
  meanHeldOut?: number;
  maxHeldOut?: number;
  meanTrained?: number;
  maxTrained?: number;
};

/** `metric.outlier`: samples ranked by reconstruction error (MSE), worst first, the top N. */
export type RankingResult = {
  kind: 'ranking';
  /** How many samples were ranked. */
  total: number;
  items: RankingItem[];
};
export type RankingItem = {
  /** The sample's index in dataset order. */
  index: number;
  label?: string;
  /** Mean squared error of the sample. */
  error: number;
  /** The sample and its reconstruction, pixels in dataset layout, so a view can show them. */
  input: number[];
  reconstruction: number[];
  /** The sample was held out of training (the trainer's test split). */
  heldOut?: true;
};

/** `infer.encode`: one 2-D point per sample (projected when the code has more dimensions). */
export type PointsResult = {
  kind: 'points';
  /** Dimensions of the code. */
  dims: number;
  /** How the points were made 2-D: `first-two` dims (always for codes of 1-2 dims), or the first two principal components. */
  projection: 'first-two' | 'pca';
  points: number[][];
  labels?: string[];
  /** The full codes, only for small codes (dims ≤ 8). */
  raw?: number[][];
  /** With `pca`: the share of the codes' variance each of the two axes explains. */
  explained?: number[];
};

/** `infer.decode`, `infer.grid`, `infer.interpolate`, `infer.sample`: decoded images. */
export type ImagesResult = {
  kind: 'images';
  /** How each image's pixels lay out; null when the decoder's output is not an image. */
  image: [height: number, width: number, channels: number] | null;
  count: number;
  /** One array per image, values in [0, 1], row-major, channels last. */
  pixels: number[][];
  /** For a grid: the layout to draw the images in (row-major). */
  rows?: number;
  cols?: number;
  /** The latent code each image was decoded from. */
  coords?: number[][];
};

/**
 * `view.reconstructions`: the first samples as originals, noisy inputs (when the graph has noise)
 * and reconstructions, all from one evaluation (the same noise), with each sample's wrong pixels.
 */
export type ReconstructionsResult = {
  kind: 'reconstructions';
  /** How each sample's pixels lay out; null when they are not an image. */
  image: [height: number, width: number, channels: number] | null;
  originals: number[][];
  noisy?: number[][];
  reconstructions: number[][];
  /** Wrong pixels (|x̂ − x| > threshold) of each sample shown. */
  wrong: number[];
  threshold: number;
  labels?: string[];
};

export type NodeResult = PixelErrorsResult | RankingResult | PointsResult | ImagesResult | ReconstructionsResult;
