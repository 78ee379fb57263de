import { frameKind } from './frames';
import type { GraphNodeView } from './schemes';

/** RGB of each frame colour (the `color` param of note.frame). */
const tints: Record<string, string> = {
  blue: '78, 121, 167', green: '89, 161, 79', orange: '242, 142, 43', purple: '176, 122, 161', grey: '140, 140, 140',
};

/**
 * Extra CSS for a frame's `<rete-node>`: a translucent tinted box with a dashed outline. The
 * classic node's own rules are adopted style sheets, which win ties, hence `:host(rete-node)`.
 * It is a function of the element because the node element re-runs it on every redraw (colour edits, selection).
 */
export function frameStyles(el: { data?: unknown }): string {
  const view = el.data as GraphNodeView | undefined;
  if (view?.kind !== frameKind) return '';
  const rgb = tints[String(view.graphNode.params.color)] ?? tints.blue;
  return `:host(rete-node) {
    --node-color: rgba(${rgb}, 0.14); --node-color-hover: rgba(${rgb}, 0.2); --node-color-selected: rgba(${rgb}, 0.3);
    border: 2px dashed rgb(${rgb}); border-radius: 14px;
  }
  :host(rete-node.selected) { border: 2px solid #ffd92c; }
  :host(rete-node) .title { font-size: 16px; }`;
}
