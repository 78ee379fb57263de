import type { GraphNodeView } from './schemes';

/**
 * Extra CSS for a view node's `<rete-node>`: the classic node puts controls between outputs and
 * inputs; a flex column with `order` moves the preview under the input sockets, so expanding it
 * leaves every socket (and its connections) where it was. `:host(rete-node)` outranks the node's
 * own adopted rules, which win ties.
 */
export function previewStyles(el: { data?: unknown }): string {
  const view = el.data as GraphNodeView | undefined;
  if (!view?.controls?.preview) return '';
  return `:host(rete-node) { display: flex; flex-direction: column; }
  :host(rete-node) .control { order: 1; padding: 0 10px; }`;
}
