import { classicConnectionPath } from 'rete-render-utils';

export interface Point { x: number; y: number }
/** A node's box in canvas units. */
export interface Box { x: number; y: number; width: number; height: number }

/** How far a wire runs straight out of its socket before it turns, and the radius of its corners. */
const lead = 20;
const radius = 10;

/**
 * The SVG path of a wire. A wire that goes forward (left to right) is Rete's classic curve. One that
 * goes back (the end of one row of nodes to the start of the next) would loop as a large S across the
 * nodes between; it is routed instead: out of its socket, down (or up) to the first line between the two
 * nodes that no other node (`others`) lies on (the gap between the rows), across, and into the input from
 * its left, with rounded corners.
 */
export function wirePath(start: Point, end: Point, source?: Box, target?: Box, others: readonly Box[] = []): string {
  if (end.x >= start.x || !source || !target) return classicConnectionPath([start, end], 0.3);
  const x1 = start.x + lead, x2 = end.x - lead;
  const same = (a: Box, b: Box) => a.x === b.x && a.y === b.y;
  const crosses = (y: number) => others.some((b) => !same(b, source) && !same(b, target) && y > b.y - 4 && y < b.y + b.height + 4 && b.x < x1 && b.x + b.width > x2);
  // Across where no other node is: the first free line going from the source's row towards the target's.
  const free = (from: number, to: number, step: number): number | undefined => {
    for (let c = from; step > 0 ? c <= to : c >= to; c += step) if (!crosses(c)) return c;
    return undefined;
  };
  const from = source.y + source.height + lead / 2, to = target.y - lead / 2;
  let y = to > from ? free(from, to, 4) : free(source.y - lead / 2, target.y + target.height + lead / 2, -4);
  // Rows that overlap, or no free line between them: under both nodes.
  y ??= to > from ? (from + to) / 2 : Math.max(source.y + source.height, target.y + target.height) + lead;
  const points: Point[] = [start, { x: x1, y: start.y }, { x: x1, y }, { x: x2, y }, { x: x2, y: end.y }, end];
  return roundedPolyline(points, radius);
}

/** A polyline with its corners rounded (each radius kept within half of its shorter leg). */
function roundedPolyline(points: Point[], r: number): string {
  let d = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1]!, points[i]!, points[i + 1]!];
    const inLen = Math.hypot(b.x - a.x, b.y - a.y), outLen = Math.hypot(c.x - b.x, c.y - b.y);
    const k = Math.min(r, inLen / 2, outLen / 2);
    if (!k) { d += ` L ${b.x} ${b.y}`; continue; }
    const p = { x: b.x - ((b.x - a.x) / inLen) * k, y: b.y - ((b.y - a.y) / inLen) * k };
    const q = { x: b.x + ((c.x - b.x) / outLen) * k, y: b.y + ((c.y - b.y) / outLen) * k };
    d += ` L ${p.x} ${p.y} Q ${b.x} ${b.y} ${q.x} ${q.y}`;
  }
  const last = points.at(-1)!;
  return `${d} L ${last.x} ${last.y}`;
}
