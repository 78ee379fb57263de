import { AreaExtensions, type AreaPlugin } from 'rete-area-plugin';
import { wireLead } from './connection-path';
import type { GraphNodeView, Schemes } from './schemes';

/** A node title's font size (px) in the editor's node look. */
export const titleFontSize = 18;
/** The size (px) of a node's smallest text: its socket names, its summary line and its buttons. */
export const nodeTextSize = 13;
/** The smallest text size on screen (px) a newcomer reads without leaning in. */
const readableTextSize = 11;
/** The smallest zoom at which a node's smallest text stays readable (its title is then 15 px on screen). */
export const minReadableScale = readableTextSize / nodeTextSize;
/** The zoom range of the wheel and of "fit". */
export const zoomRange = { min: 0.15, max: 2.5 };
/** Room kept between the nodes and the canvas edge when fitting, in screen px. */
const margin = 16;

/**
 * Zooms to show the nodes, but never below the readable scale (nor above 1: a small graph is not
 * blown up). A graph too big to show readably whole is shown at that scale from its top-left corner
 * (centred in a direction it fits): the rest is a drag or a wheel away.
 */
export async function fitReadable(area: AreaPlugin<Schemes, any>, nodes: readonly GraphNodeView[]): Promise<void> {
  if (!nodes.length) return;
  const box = withWireRoom(boundingBox(area, nodes));
  const { clientWidth: w, clientHeight: h } = area.container;
  if (!w || !h) return AreaExtensions.zoomAt(area, [...nodes]);
  const k = Math.max(minReadableScale, fitScale(box, w, h));
  const fitsX = box.width * k <= w - 2 * margin, fitsY = box.height * k <= h - 2 * margin;
  const x = fitsX ? (w - box.width * k) / 2 - box.left * k : margin - box.left * k;
  const y = fitsY ? (h - box.height * k) / 2 - box.top * k : margin - box.top * k;
  await area.area.zoom(k, 0, 0);
  await area.area.translate(x, y);
}

/** The zoom at which Fit shows a box of canvas units (wire room included) whole in a w×h px canvas, at most 1
 * (a small graph is not blown up); below `minReadableScale` where it is too big to show readably. */
export function fitScale(box: { width: number; height: number }, w: number, h: number): number {
  return Math.min(1, (w - 2 * margin) / box.width, (h - 2 * margin) / box.height);
}

/** A box in canvas units. */
export interface Box { left: number; top: number; width: number; height: number }

/** The nodes' box in canvas units. */
function boundingBox(area: AreaPlugin<Schemes, any>, nodes: readonly GraphNodeView[]): Box {
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const n of nodes) {
    const p = area.nodeViews.get(n.id)?.position ?? { x: 0, y: 0 };
    left = Math.min(left, p.x); top = Math.min(top, p.y);
    right = Math.max(right, p.x + n.width); bottom = Math.max(bottom, p.y + n.height);
  }
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** A box with room on each side for the wires that go back (they run `wireLead` out of a socket and under the
 * lowest node), so no wire is cut off at the canvas edge. */
export function withWireRoom(box: Box): Box {
  return { left: box.left - wireLead, top: box.top, width: box.width + 2 * wireLead, height: box.height + wireLead };
}

/** Keeps wheel and pinch zoom within `zoomRange`. */
export function clampZoom(area: AreaPlugin<Schemes, any>): void {
  area.addPipe((ctx) => {
    if (ctx.type !== 'zoom') return ctx;
    const zoom = Math.min(zoomRange.max, Math.max(zoomRange.min, ctx.data.zoom));
    return { ...ctx, data: { ...ctx.data, zoom } };
  });
}
