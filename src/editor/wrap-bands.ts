/** A laid-out shape in canvas units (elk's result for a node). */
export interface Shape { x: number; y: number; width: number; height: number }

/** Room between two bands, in canvas units: the wires from one band's end to the next band's start run through it. */
export const bandGap = 48;

/**
 * A left-to-right layered layout cut between its layers into bands stacked top to bottom, the cut that
 * `scale` (the zoom showing a box of that size whole) shows biggest: a long chain wider than the canvas
 * becomes two or three rows instead of running off its right edge. The uncut layout wins a tie. Shapes come
 * back moved (same order); a cut never splits a shape, so nested children (relative to their parent) follow.
 */
export function wrapBands<T extends Shape>(shapes: readonly T[], scale: (box: { width: number; height: number }) => number): T[] {
  if (shapes.length < 2) return [...shapes];
  const left = Math.min(...shapes.map((s) => s.x));
  // A cut sits at a shape's left edge that no other shape straddles.
  const cuts = [...new Set(shapes.map((s) => s.x))].filter((c) => c > left && !shapes.some((s) => s.x < c && c < s.x + s.width)).sort((a, b) => a - b);
  const starts = [left, ...cuts];
  const rightOf = (from: number, to: number) => Math.max(...shapes.filter((s) => s.x >= from && s.x < to).map((s) => s.x + s.width));
  /** Bands filled left to right up to `limit` wide (a layer wider than that is a band of its own): the cuts chosen. */
  const bandsFor = (limit: number): number[] => {
    const chosen: number[] = [];
    let start = left;
    for (let i = 1; i < starts.length; i++) {
      if (rightOf(start, starts[i + 1] ?? Infinity) - start > limit) chosen.push((start = starts[i]!));
    }
    return chosen;
  };
  const place = (chosen: number[]) => {
    const edges = [left, ...chosen, Infinity];
    const moved = shapes.map((s) => ({ ...s }));
    const first = Math.min(...shapes.map((s) => s.y));
    let top = first, width = 0;
    for (let b = 0; b + 1 < edges.length; b++) {
      const band = moved.filter((s) => s.x >= edges[b]! && s.x < edges[b + 1]!);
      const bandTop = Math.min(...band.map((s) => s.y)), bandBottom = Math.max(...band.map((s) => s.y + s.height));
      for (const s of band) { s.x -= edges[b]! - left; s.y += top - bandTop; }
      width = Math.max(width, ...band.map((s) => s.x + s.width - left));
      top += bandBottom - bandTop + bandGap;
    }
    return { moved, k: scale({ width, height: top - bandGap - first }) };
  };
  // Every band width worth trying: from each cut (or the left edge) to each shape's right edge.
  const limits = [...new Set(starts.flatMap((a) => shapes.filter((s) => s.x >= a).map((s) => s.x + s.width - a)))];
  let best = { moved: [...shapes], k: place([]).k };
  for (const limit of limits) {
    const chosen = bandsFor(limit);
    if (!chosen.length) continue;
    const next = place(chosen);
    if (next.k > best.k + 1e-9) best = next;
  }
  return best.moved as T[];
}
