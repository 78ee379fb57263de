// The preset layout (scripts/layout-presets.ts) runs in Node, where no text can be measured: it wraps
// titles and comments by an estimate. A browser that wraps a text into more lines than the estimate
// grows that node over the one laid out under it, so the estimate may never wrap into fewer lines,
// here in Chromium's sans-serif (Arial metrics) and in DejaVu Sans (some Linux desktops' default).
import { expect } from '@esm-bundle/chai';
import { registry } from '../../nodes';
import { loadGraph, type Params } from '../../src/graph';
import { titleFontSize } from '../../src/editor/fit';
import { estimatedTextWidth, nodeLook, titleLines } from '../../src/editor/node-look';
import { presetFiles } from '../helpers/presets';
import { readRepoFile } from '../helpers/read-fixture';

describe('editor: the layout\'s text width estimate', () => {
  it('wraps every preset title and comment into at least as many lines as a browser draws', async () => {
    const g = document.createElement('canvas').getContext('2d')!;
    let compared = 0;
    for (const file of presetFiles) {
      const { doc } = loadGraph(await readRepoFile(`graphs/${file}`), registry);
      for (const node of doc!.nodes) {
        const spec = registry.get(node.kind)!;
        const text = spec.label?.(node.params as Params) ?? spec.title;
        const room = node.kind === 'note.comment' ? nodeLook.commentRoom : nodeLook.titleRoom;
        for (const family of ['sans-serif', '"DejaVu Sans"']) {
          g.font = `${titleFontSize}px ${family}`;
          const drawn = titleLines(text, room, (t) => g.measureText(t).width * 1.04);
          expect(titleLines(text, room, estimatedTextWidth), `${file} ${node.id} in ${family}: "${text.slice(0, 40)}…"`).to.be.at.least(drawn);
          compared++;
        }
      }
    }
    expect(compared).to.be.greaterThan(100);
  });
});
