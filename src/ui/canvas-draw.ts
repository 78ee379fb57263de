/** Plain canvas drawing for the views: pure functions of (context, size, data). */
import type { ImagesResult, PixelErrorsResult, PointsResult } from '../../nodes/results';

export interface Size { width: number; height: number }
export interface Colors { fg: string; muted: string; grid: string; /** The panel behind the drawing (exports fill it). */ bg?: string }

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
  const classes = labelClasses(r.labels, pts.length);
  // A class legend gets a column of its own right of the points, so it never covers one.
  const legendW = classes ? 44 : 0;
  const right = pad + legendW;
  g.font = '11px sans-serif';
  const radius = pts.length > 2000 ? 1.5 : pts.length > 200 ? 2 : 3;
  const images = !!thumbs && pts.length <= maxThumbnails;
  // Text beside each point only while it stays readable; many points of few classes get a legend instead.
  const texts = !classes && !images && !!r.labels && pts.length <= 200;
  // The points sit inside the box with room for what is drawn around them (a label up and right, an
  // image centred), so nothing leaves the box and the count line above the box never covers a point.
  const half = images ? 10 : radius + 1;
  const inset = texts
    ? { l: half, t: 12, r: Math.min((size.width - pad - right) / 3, 5 + Math.max(0, ...r.labels!.map((l) => g.measureText(l).width))), b: half }
    : { l: half, t: half, r: half, b: half };
  const boxW = size.width - pad - right, boxH = size.height - 2 * pad;
  const X = (x: number) => pad + inset.l + ((x - minX) / spanX) * Math.max(1, boxW - inset.l - inset.r);
  const Y = (y: number) => pad + boxH - inset.b - ((y - minY) / spanY) * Math.max(1, boxH - inset.t - inset.b);
  g.strokeStyle = c.grid;
  g.strokeRect(pad, pad, boxW, boxH);
  if (classes) g.globalAlpha = 0.75;
  r.points.forEach((p, i) => {
    if (p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
    const x = X(p[0]!), y = Y(p[1]!);
    const label = r.labels?.[i];
    g.fillStyle = classes && label !== undefined ? classPalette[classes.get(label)! % classPalette.length]! : palette[i % palette.length]!;
    g.beginPath(); g.arc(x, y, radius, 0, Math.PI * 2); g.fill();
    if (texts && label !== undefined) { g.fillStyle = c.fg; g.fillText(label, x + 4, y - 4); }
  });
  g.globalAlpha = 1;
  if (images && thumbs) {
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
    const lx = size.width - legendW - 4;
    let ly = pad + 10;
    for (const [label, k] of classes) {
      g.fillStyle = classPalette[k % classPalette.length]!;
      g.fillRect(lx + 6, ly - 8, 8, 8);
      g.fillStyle = c.fg;
      g.fillText(label, lx + 18, ly);
      ly += 13;
    }
  }
  g.fillStyle = c.muted;
  g.fillText(`${pts.length} points · ${r.dims}-D code${r.projection === 'pca' ? ' (PCA)' : ''}`, pad, 12);
  return (x, y) => [X(x), Y(y)];
}

/**
 * Images in a grid (rows/cols when given), grey or colour, each enlarged by the largest whole factor
 * its cell allows, at most `maxScale` (an image grid's `scale`); images larger than their cell shrink
 * to fit it.
 */
export function drawImages(g: CanvasRenderingContext2D, size: Size, r: ImagesResult, c: Colors, maxScale = Infinity): void {
  g.clearRect(0, 0, size.width, size.height);
  const [h, w, ch] = r.image ?? [1, r.pixels[0]?.length ?? 1, 1];
  const n = r.pixels.length;
  if (!n) return;
  const cols = r.cols ?? Math.ceil(Math.sqrt((n * size.width) / size.height * (h / w)));
  const rows = r.rows ?? Math.ceil(n / cols);
  const cell = Math.max(1, Math.floor(Math.min(size.width / cols, size.height / rows)));
  // Whole-pixel enlargements stay crisp; images larger than their cell shrink to fit it (never overlap).
  const fit = (cell - 2) / Math.max(h, w);
  const scale = fit >= 1 ? Math.max(1, Math.min(Math.floor(fit), maxScale)) : Math.max(0.05, fit);
  g.imageSmoothingEnabled = fit < 1;
  const sheet = imageSheet(r.pixels, [h, w, ch]);
  for (let k = 0; k < n; k++) sheet(g, k, (k % cols) * cell + 1, Math.floor(k / cols) * cell + 1, w * scale, h * scale);
  g.fillStyle = c.muted;
}

/** Writes one image (values in [0, 1], gray, RGB or RGBA) as RGBA bytes at (x, y) of a picture `stride` pixels wide. */
function putPixels(out: Uint8ClampedArray, stride: number, x: number, y: number, px: readonly number[], [h, w, ch]: readonly [number, number, number]): void {
  for (let r = 0; r < h; r++) {
    let o = ((y + r) * stride + x) * 4, i = r * w * ch;
    for (let col = 0; col < w; col++, o += 4, i += ch) {
      // A clamped array rounds and clamps to 0..255 itself.
      const v = 255 * (px[i] ?? 0);
      out[o] = v; out[o + 1] = ch >= 3 ? 255 * (px[i + 1] ?? 0) : v; out[o + 2] = ch >= 3 ? 255 * (px[i + 2] ?? 0) : v;
      out[o + 3] = ch === 4 ? 255 * (px[i + 3] ?? 0) : 255;
    }
  }
}

/** Draws image k of a sheet into (x, y, width, height) of a context. */
export type SheetDraw = (g: CanvasRenderingContext2D, k: number, x: number, y: number, width: number, height: number) => void;

/** The one canvas every sheet is laid out on: drawing is synchronous, so a sheet is used up before the next one is made. */
let sheetCanvas: HTMLCanvasElement | null = null;

/**
 * Images of one shape on one canvas, filled by a single putImageData, each then copied (scaled) from
 * its cell by drawImage. A view redraws new images every refresh: a canvas per image cost a
 * getContext and a putImageData each, most of a long frame while a VAE trained (bench/editor.bench.ts).
 */
export function imageSheet(images: readonly (readonly number[] | undefined)[], shape: readonly [number, number, number]): SheetDraw {
  const [h, w] = shape;
  const n = Math.max(1, images.length);
  const cols = Math.max(1, Math.min(n, Math.floor(8192 / w)));
  const width = cols * w, height = Math.ceil(n / cols) * h;
  const canvas = (sheetCanvas ??= document.createElement('canvas'));
  if (canvas.width < width) canvas.width = width;
  if (canvas.height < height) canvas.height = height;
  const picture = new ImageData(width, height);
  images.forEach((px, k) => { if (px) putPixels(picture.data, width, (k % cols) * w, Math.floor(k / cols) * h, px, shape); });
  canvas.getContext('2d')!.putImageData(picture, 0, 0);
  // Opaque images get a 1-px frame of their zero value (black): a white-on-black glyph whose strokes
  // reach its edge otherwise runs into a light theme's background, and its letter can't be read.
  const framed = shape[2] !== 4;
  return (g, k, x, y, dw, dh) => {
    if (framed) {
      g.fillStyle = '#000';
      g.fillRect(Math.floor(x) - 1, Math.floor(y) - 1, Math.ceil(dw) + 2, Math.ceil(dh) + 2);
    }
    g.drawImage(canvas, (k % cols) * w, Math.floor(k / cols) * h, w, h, x, y, dw, dh);
  };
}

/** Rendered samples by pixel array: a scatter redraws the same images every frame. */
const rendered = new WeakMap<readonly number[], HTMLCanvasElement>();

/** One image (values in [0, 1], gray, RGB or RGBA) on a canvas of its own size, kept while its pixel array lives. */
export function imageCanvas(px: readonly number[], shape: readonly [number, number, number]): HTMLCanvasElement {
  const [h, w] = shape;
  const cached = rendered.get(px);
  if (cached && cached.width === w && cached.height === h) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = w; canvas.height = h;
  const picture = new ImageData(w, h);
  putPixels(picture.data, w, 0, 0, px, shape);
  canvas.getContext('2d')!.putImageData(picture, 0, 0);
  rendered.set(px, canvas);
  return canvas;
}

/** Bars: how many samples have each number of wrong pixels. */
export function drawHistogram(g: CanvasRenderingContext2D, size: Size, r: PixelErrorsResult, c: Colors): void {
  g.clearRect(0, 0, size.width, size.height);
  const bins = r.histogram;
  const top = Math.max(1, ...bins.map((b) => b.count));
  g.font = '11px sans-serif';
  const split = r.meanHeldOut !== undefined ? ` · held out (amber) ${r.meanHeldOut.toFixed(2)} vs trained ${r.meanTrained!.toFixed(2)}` : '';
  const title = wrapText(g, `wrong pixels per sample (threshold ${r.threshold}) · max ${r.max} · mean ${r.mean.toFixed(2)}${split}`, size.width - 8);
  const pad = { l: 24, b: 16, t: 6 + 13 * title.length };
  const bw = (size.width - pad.l - 4) / Math.max(1, bins.length);
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
  title.forEach((line, i) => g.fillText(line, 4, 11 + 13 * i));
}

/** Splits text into lines no wider than `width` at the canvas's current font (breaking at spaces). */
export function wrapText(g: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && g.measureText(next).width > width) { lines.push(line); line = word; } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** Reads the theme's colours from CSS custom properties. */
export function themeColors(el: Element): Colors {
  const s = getComputedStyle(el);
  return {
    fg: s.getPropertyValue('--lf-fg').trim() || '#c9d1d9',
    muted: s.getPropertyValue('--lf-muted').trim() || '#8b949e',
    grid: s.getPropertyValue('--lf-grid').trim() || '#8884',
    bg: s.getPropertyValue('--lf-panel').trim() || s.getPropertyValue('--lf-bg').trim() || '#161b22',
  };
}

/** Loss lines for a still image (the PNG export): aligned x, one series per line, linear or log y. */
export interface CurveLines { x: number[]; series: ({ name: string; values: (number | null)[] } & LineLook)[] }

/** What says how a loss line looks: its palette colour, a test loss (dashed), a total drawn under its terms. */
export interface LineLook { colour: number; test: boolean; under?: boolean }

/**
 * How a loss line is drawn, on screen (uPlot) and in a PNG: its palette colour, dashed for a test loss. A total
 * over several terms is wide and translucent, drawn under them: a term that makes up nearly all of it (a VAE's
 * reconstruction) shows inside it instead of hiding it, and the total shows around it.
 */
export function lineLook(s: LineLook): { stroke: string; width: number; dash: number[] } {
  const colour = palette[s.colour % palette.length]!;
  const dash = s.test ? [5, 4] : [];
  return s.under ? { stroke: `${colour}99`, width: 5, dash: dash.map((d) => d * 2) } : { stroke: colour, width: 1.5, dash };
}

/** A loss chart: axes with a few labelled ticks, a line per series (test ones dashed) and a legend under it. */
export function drawCurves(g: CanvasRenderingContext2D, size: Size, d: CurveLines, log: boolean, c: Colors): void {
  g.font = '11px sans-serif';
  const legendRows = wrapLegend(g, d.series.map((s) => s.name), size.width - 16);
  const values = d.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const axes = drawAxes(g, { ...size, below: 16 * legendRows.length }, { x0: d.x[0] ?? 0, x1: d.x.at(-1) ?? 1, values }, log, c);
  if (!axes) { g.fillStyle = c.muted; g.fillText('no data yet: train to see the loss', 8, size.height / 2); return; }
  const { X, Y } = axes;
  for (const s of [...d.series].sort((a, b) => Number(!!b.under) - Number(!!a.under))) {
    const look = lineLook(s);
    g.strokeStyle = look.stroke; g.lineWidth = look.width;
    g.setLineDash(look.dash);
    g.beginPath();
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) { if (!s.test) pen = false; return; }
      const px = X(d.x[i]!), py = Y(v);
      if (pen) g.lineTo(px, py); else g.moveTo(px, py);
      pen = true;
    });
    g.stroke();
  }
  g.setLineDash([]);
  legendRows.forEach((row, r) => {
    let lx = 8;
    const ly = size.height - 16 * (legendRows.length - r) + 8;
    for (const i of row) {
      const s = d.series[i]!;
      const look = lineLook(s);
      g.strokeStyle = look.stroke; g.lineWidth = look.width;
      g.setLineDash(look.dash);
      g.beginPath(); g.moveTo(lx, ly - 4); g.lineTo(lx + 16, ly - 4); g.stroke();
      g.setLineDash([]);
      g.fillStyle = c.fg;
      g.fillText(s.name, lx + 20, ly);
      lx += 32 + g.measureText(s.name).width;
    }
  });
}

/**
 * A chart's axes in a box of `size` (less `below` px under them, for a legend): a grid line and a label at a few
 * round values of y (each power of ten on a log axis) and of x (the steps), and a frame. Null (nothing drawn)
 * when no value can be shown or the box is too small; else where a step and a value land on the canvas.
 */
export function drawAxes(g: CanvasRenderingContext2D, size: Size & { below?: number }, data: { x0: number; x1: number; values: readonly number[] }, log: boolean, c: Colors): { X(x: number): number; Y(v: number): number } | null {
  const pad = { l: 52, r: 10, t: 8, b: 22 + (size.below ?? 0) };
  const w = size.width - pad.l - pad.r, h = size.height - pad.t - pad.b;
  const values = data.values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (!values.length || w <= 10 || h <= 10) return null;
  const f = log ? Math.log10 : (v: number) => v;
  let lo = f(Math.min(...values)), hi = f(Math.max(...values));
  if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
  const { x0, x1 } = data;
  const X = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * w;
  const Y = (v: number) => pad.t + h - ((f(v) - lo) / (hi - lo)) * h;
  g.save();
  g.font = '11px sans-serif';
  g.strokeStyle = c.grid; g.fillStyle = c.muted; g.lineWidth = 1; g.setLineDash([]);
  const ticks = log ? range(Math.ceil(lo), Math.floor(hi)).map((e) => 10 ** e) : niceTicks(lo, hi, 5);
  if (log && ticks.length < 2) ticks.push(10 ** lo, 10 ** hi);
  g.textAlign = 'right';
  for (const t of ticks) {
    const y = Y(t);
    g.beginPath(); g.moveTo(pad.l, y); g.lineTo(pad.l + w, y); g.stroke();
    g.fillText(formatNumber(t), pad.l - 5, y + 4);
  }
  g.textAlign = 'center';
  for (const t of niceTicks(x0, x1, 5)) g.fillText(formatNumber(t), X(t), pad.t + h + 14);
  g.strokeRect(pad.l, pad.t, w, h);
  g.restore();
  return { X, Y };
}

/** The legend entries (indices) on each row. */
function wrapLegend(g: CanvasRenderingContext2D, names: string[], width: number): number[][] {
  const rows: number[][] = [[]];
  let x = 0;
  names.forEach((name, i) => {
    const w = 32 + g.measureText(name).width;
    if (rows.at(-1)!.length && x + w > width) { rows.push([]); x = 0; }
    rows.at(-1)!.push(i);
    x += w;
  });
  return rows;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

/** About `count` round ticks between a and b (1, 2 or 5 times a power of ten apart). */
function niceTicks(a: number, b: number, count: number): number[] {
  const span = b - a;
  if (!(span > 0)) return [a];
  const raw = span / count, p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(a / step) * step; t <= b + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function formatNumber(t: number): string {
  if (t === 0) return '0';
  const a = Math.abs(t);
  return a >= 1e5 || a < 1e-3 ? t.toExponential(0) : String(Number(t.toPrecision(3)));
}
