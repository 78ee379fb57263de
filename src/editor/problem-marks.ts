import type { AreaPlugin } from 'rete-area-plugin';
import { formatProblem, type Problem } from '../graph';
import type { AreaExtra } from './editor-plugins';
import type { Schemes } from './schemes';

/** Marks the nodes that have problems: an outline (red for an error, amber for a warning) and the problems as a tooltip. */
export function problemMarks(area: AreaPlugin<Schemes, AreaExtra>): (problems: readonly Problem[]) => void {
  const marked = new Set<string>();
  return (problems) => {
    const byNode = new Map<string, string[]>();
    for (const p of problems) {
      if (p.nodeId === undefined) continue;
      byNode.set(p.nodeId, [...(byNode.get(p.nodeId) ?? []), formatProblem(p)]);
    }
    for (const id of new Set([...marked, ...byNode.keys()])) {
      const el = area.nodeViews.get(id)?.element;
      if (!el) continue;
      const messages = byNode.get(id);
      el.style.outline = messages ? `3px solid ${problems.some((p) => p.nodeId === id && p.severity === 'error') ? '#f85149' : '#d29922'}` : '';
      el.style.outlineOffset = messages ? '2px' : '';
      el.style.borderRadius = '12px';
      el.title = messages ? messages.join('\n') : '';
      el.dataset.problems = messages ? String(messages.length) : '';
      if (messages) marked.add(id);
      else marked.delete(id);
    }
  };
}
