/** The reconstructions view: originals, noisy inputs and reconstructions in rows, each sample's wrong pixels marked. */
import type { ReconstructionsResult } from '../../nodes/results';
import { imageSheet, wrapText, type Colors, type Size } from './canvas-draw';

/** The first header line's height, each further line's, and a band's caption (its wrong-pixel counts). */
const headerLine = 14, moreLine = 13;
const caption = 12;

/** The layout that gives the samples the largest tiles: how many per band, and the tile size. */
export function reconstructionsLayout(n: number, rowsPerSample: number, image: readonly [number, number, number], size: Size, header: number): { cols: number; cell: number } {
  const [h, w] = image;
  let best = { cols: Math.max(1, n), cell: 0 };
  for (let cols = 1; cols <= Math.max(1, n); cols++) {
    const bands = Math.ceil(n / cols);
    const byWidth = size.width / cols / w;
    const byHeight = (size.height - header - bands * caption) / (bands * rowsPerSample) / h;
    const cell = Math.min(byWidth, byHeight);
    if (cell > best.cell) best = { cols, cell };
  }
  return best;
}

export function drawReconstructions(g: CanvasRenderingContext2D, size: Size, r: ReconstructionsResult, c: Colors): void {
  g.clearRect(0, 0, size.width, size.height);
  const n = r.reconstructions.length;
  const image = r.image ?? [1, r.reconstructions[0]?.length ?? 1, 1];
  const [h, w, ch] = image;
  const rows = [r.originals, ...(r.noisy ? [r.noisy] : []), r.reconstructions];
  g.font = '11px sans-serif';
  const total = r.wrong.reduce((a, b) => a + b, 0);
  // The header wraps in a narrow view (an in-node one) rather than running off its right edge.
  const lines = wrapText(g, `${r.noisy ? 'original · noisy input · reconstruction' : 'original · reconstruction'} — wrong pixels (> ${r.threshold}) under each: ${total} in all`, size.width - 4);
  const header = headerLine + moreLine * (lines.length - 1);
  const { cols, cell } = reconstructionsLayout(n, rows.length, image, size, header);
  // Pixels per image pixel; whole pixels when there is room, so glyphs stay crisp.
  const k = cell >= 2 ? Math.floor(cell * 0.9) : cell * 0.9;
  const tileW = size.width / cols, tileH = h * cell;
  const bandH = rows.length * tileH + caption;
  g.fillStyle = c.muted;
  lines.forEach((line, i) => g.fillText(line, 2, 10 + moreLine * i));
  g.imageSmoothingEnabled = false;
  // One sheet for every row, each row padded to n images: image i of row j is cell j·n + i.
  const sheet = imageSheet(rows.flatMap((row) => Array.from({ length: n }, (_, i) => row[i])), image);
  for (let i = 0; i < n; i++) {
    const band = Math.floor(i / cols), col = i % cols;
    const x0 = col * tileW + (tileW - w * k) / 2;
    const y0 = header + band * bandH;
    rows.forEach((row, j) => {
      if (row[i]) sheet(g, j * n + i, x0, y0 + j * tileH, w * k, h * k);
    });
    // The reconstruction's wrong pixels, outlined in red.
    const orig = r.originals[i], rec = r.reconstructions[i];
    const yr = y0 + (rows.length - 1) * tileH;
    if (orig && rec && k >= 3 && r.wrong[i]) {
      g.strokeStyle = '#f85149';
      g.lineWidth = 1;
      for (let p = 0; p < h * w; p++) {
        let bad = false;
        for (let q = 0; q < ch; q++) if (Math.abs((rec[p * ch + q] ?? 0) - (orig[p * ch + q] ?? 0)) > r.threshold) bad = true;
        if (bad) g.strokeRect(x0 + (p % w) * k + 0.5, yr + Math.floor(p / w) * k + 0.5, k - 1, k - 1);
      }
    }
    const wrong = r.wrong[i] ?? 0;
    g.fillStyle = wrong ? '#f85149' : '#3fb950';
    const text = String(wrong);
    g.fillText(text, col * tileW + (tileW - g.measureText(text).width) / 2, y0 + rows.length * tileH + caption - 2);
  }
}
