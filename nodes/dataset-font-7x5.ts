import { defineNode, int, socket, type DatasetData } from './define';
import { rawDataset } from './pytorch';

/** The 32 glyphs of the course's 7x5 bitmap font (` a..z { | } ~ DEL), 35 binary pixels each. */
export const font7x5Dataset = defineNode({
  kind: 'dataset.font-7x5', version: 1, title: 'Font 7x5', category: 'dataset',
  summary: (p) => `${p.limit} glyphs`,
  description: 'The 32 glyphs of the course font, 7x5 binary pixels, labelled with their characters.',
  inputs: {},
  outputs: { x: socket('dataset', { label: 'glyphs' }) },
  params: { limit: int({ min: 1, max: 32, default: 32, structural: true, help: 'Use only the first N glyphs.' }) },
  infer: (_in, p) => ({ outputs: { x: { type: 'dataset', features: 35, image: [7, 5, 1], samples: p.limit } } }),
  load: async (p, io) => {
    const font = JSON.parse(new TextDecoder().decode(await io.readAsset('datasets/font-7x5.json'))) as FontFile;
    return fontGlyphs(font, p.limit);
  },
  pytorch: rawDataset('the 7x5 font'),
});

interface FontFile { width: number; height: number; chars: { char: string; rows: number[] }[] }

/** Unpacks glyph rows (bit 4 = leftmost pixel) into 0/1 pixels, row-major. */
export function fontGlyphs(font: FontFile, limit: number): DatasetData {
  const chars = font.chars.slice(0, limit);
  const features = font.width * font.height;
  const x = new Float32Array(chars.length * features);
  chars.forEach((c, i) => {
    c.rows.forEach((row, r) => {
      for (let col = 0; col < font.width; col++) x[i * features + r * font.width + col] = (row >> (font.width - 1 - col)) & 1;
    });
  });
  return { x, count: chars.length, features, image: [font.height, font.width, 1], labels: chars.map((c) => c.char) };
}
