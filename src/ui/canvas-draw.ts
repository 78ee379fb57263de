/** Plain canvas drawing for the views: pure functions of (context, size, data). */
import type { ImagesResult, PixelErrorsResult, PointsResult } from '../../nodes/results';

export interface Size { width: number; height: number }
export interface Colors { fg: string; muted: string; grid: string }

export const palette = ['#58a6ff', '#f85149', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#ff9e64'];

/** Distinct colours for classes (Tableau 10 and two more). */
const classPalette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#39c5cf', '#a371f7'];

/**
 * Labels that name a few classes shared by many points (MNIST digits): each class gets a colour,
 * in label order. Null when labels are absent or (nearly) one per point (glyphs, emoji names).
 */
export function labelClasses(labels: readonly string[] | null | undefined, points: number): Map<string, number> | null {
  if (!labels || points <= 60) return null;
  const distinct = [...new Set(labels)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (distinct.length > classPalette.length) return null;
  return new Map(distinct.map((l, i) => [l, i]));
}

/** The samples behind scatter points, to draw them at their codes (the emoji themselves). */
export interface Thumbnails { image: [height: number, width: number, channels: number]; rows: number[][] }

/** Most points drawn as images; more would be a smear. */
export const maxThumbnails = 150;

/** The latent codes as labelled points (or as their samples' images), scaled to fit. Returns the data→pixel mapping for hit tests. */
export function drawScatter(g: CanvasRenderingContext2D, size: Size, r: PointsResult, c: Colors, thumbs?: Thumbnails | null): (x: number, y: number) => [number, number] {
  g.clearRect(0, 0, size.width, size.height);
  const pts = r.points.filter((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const [x, y] of pts) { minX = Math.min(minX, x!); maxX = Math.max(maxX, x!); minY = Math.min(minY, y!); maxY = Math.max(maxY, y!); }
  if (!pts.length) { minX = minY = -1; maxX = maxY = 1; }
  const spanX = maxX - minX || 1, spanY = maxY - minY || 1;
  const pad = 18;
  const X = (x: number) => pad + ((x - minX) / spanX) * (size.width - 2 * pad);
  const Y = (y: number) => size.height - pad - ((y - minY) / spanY) * (size.height - 2 * pad);
  g.strokeStyle = c.grid;
  g.strokeRect(pad, pad, size.width - 2 * pad, size.height - 2 * pad);
  g.font = '11px sans-serif';
  const classes = labelClasses(r.labels, pts.length);
  const radius = pts.length > 2000 ? 1.5 : pts.length > 200 ? 2 : 3;
  if (classes) g.globalAlpha = 0.75;
  r.points.forEach((p, i) => {
    if (p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
    const x = X(p[0]!), y = Y(p[1]!);
    const label = r.labels?.[i];
    g.fillStyle = classes && label !== undefined ? classPalette[classes.get(label)! % classPalette.length]! : palette[i % palette.length]!;
    g.beginPath(); g.arc(x, y, radius, 0, Math.PI * 2); g.fill();
    // Text beside each point only while it stays readable; many points of few classes get a legend instead.
    if (!classes && !thumbs && label !== undefined && pts.length <= 200) { g.fillStyle = c.fg; g.fillText(label, x + 4, y - 4); }
  });
  g.globalAlpha = 1;
  if (thumbs && pts.length <= maxThumbnails) {
    // Each sample's own image at its code, 20 px on its longer side.
    const [h, w] = thumbs.image;
    const k = 20 / Math.max(h, w);
    g.imageSmoothingEnabled = true;
    r.points.forEach((p, i) => {
      const row = thumbs.rows[i];
      if (!row || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
      g.drawImage(imageCanvas(row, thumbs.image), X(p[0]!) - (w * k) / 2, Y(p[1]!) - (h * k) / 2, w * k, h * k);
    });
  }
  if (classes) {
    g.fillStyle = c.grid;
    g.fillRect(size.width - pad - 40, pad + 1, 38, classes.size * 12 + 6);
    let ly = pad + 12;
    for (const [label, k] of classes) {
      g.fillStyle = classPalette[k % classPalette.length]!;
      g.fillRect(size.width - pad - 34, ly - 8, 8, 8);
      g.fillStyle = c.fg;
      g.fillText(label, size.width - pad - 22, ly);
      ly += 12;
    }
  }
  g.fillStyle = c.muted;
  g.fillText(`${pts.length} points · ${r.dims}-D code${r.projection === 'pca' ? ' (PCA)' : ''}`, pad, 12);
  return (x, y) => [X(x), Y(y)];
}

/** Images in a grid (rows/cols when given), grey or colour, with optional captions. */
export function drawImages(g: CanvasRenderingContext2D, size: Size, r: ImagesResult, c: Colors): void {
  g.clearRect(0, 0, size.width, size.height);
  const [h, w, ch] = r.image ?? [1, r.pixels[0]?.length ?? 1, 1];
  const n = r.pixels.length;
  if (!n) return;
  const cols = r.cols ?? Math.ceil(Math.sqrt((n * size.width) / size.height * (h / w)));
  const rows = r.rows ?? Math.ceil(n / cols);
  const cell = Math.max(1, Math.floor(Math.min(size.width / cols, size.height / rows)));
  const scale = Math.max(1, Math.floor((cell - 2) / Math.max(h, w)));
  g.imageSmoothingEnabled = false;
  r.pixels.forEach((px, k) => {
    g.drawImage(imageCanvas(px, [h, w, ch]), (k % cols) * cell + 1, Math.floor(k / cols) * cell + 1, w * scale, h * scale);
  });
  g.fillStyle = c.muted;
}

/** Rendered samples by pixel array: a scatter redraws the same images every frame. */
const rendered = new WeakMap<number[], HTMLCanvasElement>();

/** One image (values in [0, 1], gray, RGB or RGBA) on a canvas of its own size. */
export function imageCanvas(px: number[], [h, w, ch]: readonly [number, number, number]): HTMLCanvasElement {
  const cached = rendered.get(px);
  if (cached && cached.width === w && cached.height === h) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const tg = canvas.getContext('2d')!;
  const img = tg.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const v = (j: number) => Math.round(255 * Math.min(1, Math.max(0, px[i * ch + j] ?? 0)));
    img.data[i * 4] = v(0); img.data[i * 4 + 1] = ch >= 3 ? v(1) : v(0); img.data[i * 4 + 2] = ch >= 3 ? v(2) : v(0);
    img.data[i * 4 + 3] = ch === 4 ? v(3) : 255;
  }
  tg.putImageData(img, 0, 0);
  rendered.set(px, canvas);
  return canvas;
}

/** Bars: how many samples have each number of wrong pixels. */
export function drawHistogram(g: CanvasRenderingContext2D, size: Size, r: PixelErrorsResult, c: Colors): void {
  g.clearRect(0, 0, size.width, size.height);
  const bins = r.histogram;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const pad = { l: 24, b: 16, t: 14 };
  const bw = (size.width - pad.l - 4) / Math.max(1, bins.length);
  g.font = '10px sans-serif';
  // With a test split, the held-out samples' share of each bar is drawn on top, in amber.
  const heldPerBin = new Array<number>(bins.length).fill(0);
  for (const i of r.heldOut ?? []) if (r.perSample[i] !== undefined) heldPerBin[r.perSample[i]!]!++;
  const scale = (size.height - pad.b - pad.t) / top;
  bins.forEach((b, i) => {
    const held = heldPerBin[i]!;
    const x = pad.l + i * bw + 1, w = Math.max(1, bw - 2);
    g.fillStyle = b.errors === 0 ? '#3fb950' : '#f85149';
    g.fillRect(x, size.height - pad.b - (b.count - held) * scale, w, (b.count - held) * scale);
    if (held) {
      g.fillStyle = '#d29922';
      g.fillRect(x, size.height - pad.b - b.count * scale, w, held * scale);
    }
    g.fillStyle = c.muted;
    if (bins.length <= 20 || i % Math.ceil(bins.length / 20) === 0) g.fillText(String(b.errors), pad.l + i * bw + bw / 2 - 3, size.height - 4);
  });
  g.fillStyle = c.fg;
  const split = r.meanHeldOut !== undefined ? ` · held out (amber) ${r.meanHeldOut.toFixed(2)} vs trained ${r.meanTrained!.toFixed(2)}` : '';
  g.fillText(`wrong pixels per sample (threshold ${r.threshold}) · max ${r.max} · mean ${r.mean.toFixed(2)}${split}`, pad.l, 10);
}

/** Reads the theme's colours from CSS custom properties. */
export function themeColors(el: Element): Colors {
  const s = getComputedStyle(el);
  return {
    fg: s.getPropertyValue('--lf-fg').trim() || '#c9d1d9',
    muted: s.getPropertyValue('--lf-muted').trim() || '#8b949e',
    grid: s.getPropertyValue('--lf-grid').trim() || '#8884',
  };
}
