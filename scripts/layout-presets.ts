// Lays the preset graphs out compactly, left to right, for a canvas where node titles stay readable
// (issue 12): the training chain in a first row (by depth), the views and inference nodes in a second
// row under it, a comment above. In-node views are closed (right to left) while the graph would not
// fit the readable box. `npx tsx scripts/layout-presets.ts [names...]`, then `npx tsx scripts/format-graphs.ts`.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGraph, saveGraph, type GraphDoc, type GraphNode } from '../src/graph';
import { registry } from '../nodes';
import { commentHeight, nodeLook, titleLines } from '../src/editor/node-look';
import { summaryHeight } from '../src/editor/summary-look';
import { previewNodeSize } from '../src/editor/preview-control';
import { minReadableScale } from '../src/editor/fit';

/** The canvas at 1280x720 (the app's side panel, header and views panel taken off), less a margin, in canvas units at the readable scale. */
export const readableBox = { width: (950 - 40) / minReadableScale, height: (446 - 40) / minReadableScale };
const gap = { x: 40, y: 16, rows: 36 };

function size(node: GraphNode): { width: number; height: number } {
  const spec = registry.get(node.kind)!;
  if (node.kind === 'note.comment') return { width: nodeLook.commentWidth, height: commentHeight(String(node.params.text ?? '')) };
  const rows = Object.keys(spec.inputs).length + Object.keys(spec.outputs).length;
  const plain = { width: nodeLook.width, height: nodeLook.chrome + rows * nodeLook.row + (spec.summary ? summaryHeight : 0) + (titleLines(spec.title) - 1) * nodeLook.titleLine };
  return spec.category === 'view' ? previewNodeSize(plain, node.ui?.expanded === true) : plain;
}

function layout(doc: GraphDoc): { width: number; height: number } {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const parents = (id: string) => doc.edges.filter((e) => e.to.node === id).map((e) => e.from.node).filter((p) => byId.has(p));
  const depthMemo = new Map<string, number>();
  const depth = (id: string): number => depthMemo.get(id) ?? (depthMemo.set(id, Math.max(-1, ...parents(id).map(depth)) + 1), depthMemo.get(id)!);
  const trainer = doc.nodes.find((n) => registry.get(n.kind)?.category === 'train');
  const chain = new Set<string>();
  const visit = (id: string) => { if (chain.has(id)) return; chain.add(id); parents(id).forEach(visit); };
  if (trainer) visit(trainer.id);
  const notes = doc.nodes.filter((n) => n.kind === 'note.comment');
  const rest = doc.nodes.filter((n) => !chain.has(n.id) && n.kind !== 'note.comment' && n.kind !== 'note.frame');
  const row1 = doc.nodes.filter((n) => chain.has(n.id));
  const row2 = rest;
  // A loss curve reads the trainer: it ends the second row.
  const curve = rest.find((n) => n.kind === 'view.loss-curve');
  if (curve) depthMemo.set(curve.id, 1000);
  // A first row too wide stacks its first two columns (the dataset above its noise).
  const columns1 = new Set(row1.map((n) => depth(n.id)));
  if (columns1.size * (nodeLook.width + gap.x) - gap.x > readableBox.width) for (const n of row1) if (depth(n.id) === 1) depthMemo.set(n.id, 0);

  // Comments open the second row (its first column): they explain what the first row does.
  for (const note of notes) depthMemo.set(note.id, -1);
  row2.unshift(...notes);
  const y = 0;
  const width = 0;
  /** Nodes in columns by depth; with `pack`, columns filled greedily (in depth order) up to the row's height. */
  const placeRow = (nodes: GraphNode[], top: number, maxHeight: number, pack = false): { width: number; height: number } => {
    const sorted = [...nodes].sort((a, b) => depth(a.id) - depth(b.id));
    let x = 0, cy = 0, colWidth = 0, height = 0, lastDepth: number | null = null;
    for (const n of sorted) {
      const s = size(n);
      const newColumn = cy > 0 && (pack ? cy + s.height > maxHeight : depth(n.id) !== lastDepth || cy + s.height > maxHeight);
      if (newColumn) { x += colWidth + gap.x; cy = 0; colWidth = 0; }
      n.ui = { ...(n.ui ?? {}), position: [Math.round(x), Math.round(top + cy)] };
      cy += s.height + gap.y;
      colWidth = Math.max(colWidth, s.width);
      height = Math.max(height, cy - gap.y);
      lastDepth = depth(n.id);
    }
    return { width: x + colWidth, height };
  };
  const r1 = placeRow(row1, y, Infinity);
  const top2 = y + r1.height + gap.rows;
  const r2 = placeRow(row2, top2, Math.max(120, readableBox.height - top2), true);
  return { width: Math.max(width, r1.width, r2.width), height: row2.length ? top2 + r2.height : y + r1.height };
}

const dir = join(import.meta.dirname, '..', 'graphs');
const names = process.argv.slice(2);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && (!names.length || names.includes(f.replace(/\.json$/, ''))))) {
  const path = join(dir, file);
  const { doc } = loadGraph(readFileSync(path, 'utf8'), registry);
  if (!doc) throw new Error(`${file} does not load`);
  let box = layout(doc);
  // Close in-node views, the last first, until the graph fits the readable box.
  const open = doc.nodes.filter((n) => n.ui?.expanded === true).reverse();
  while ((box.width > readableBox.width || box.height > readableBox.height) && open.length) {
    const n = open.shift()!;
    const { expanded: _e, ...ui } = n.ui!;
    n.ui = ui;
    box = layout(doc);
  }
  const fits = box.width <= readableBox.width && box.height <= readableBox.height;
  console.log(`${file}: ${Math.round(box.width)} x ${Math.round(box.height)} (box ${Math.round(readableBox.width)} x ${Math.round(readableBox.height)})${fits ? '' : '  DOES NOT FIT'}; open views: ${doc.nodes.filter((n) => n.ui?.expanded).map((n) => n.id).join(', ') || 'none'}`);
  writeFileSync(path, saveGraph(doc));
}
