import { kindParams } from '../graph';
import { nodeTextSize } from './fit';
import type { GraphNodeView } from './schemes';

/** The room a summary line takes under a node's title. */
export const summaryHeight = 18;

/**
 * The node's summary (its kind's key params in a few words), or '' when its kind has none. A view named
 * after what feeds it says that instead ("from Latent grid"), so three image grids are told apart.
 */
export function nodeSummary(view: GraphNodeView | undefined): string {
  if (view?.source) return `from ${view.source}`;
  const spec = view?.spec;
  if (!view || !spec?.summary) return '';
  try {
    const params = kindParams(spec.params, view.graphNode.params);
    return params ? spec.summary(params).replace(/\s+/g, ' ').trim() : '';
  } catch {
    return ''; // params the summary cannot read (a placeholder's, a broken file's): no summary rather than no node
  }
}

/**
 * Extra CSS for a node's `<rete-node>`: the summary as a second, smaller line of the title. It is a
 * function of the element, re-run on every redraw, so a param edit shows at once.
 */
export function summaryStyles(el: { data?: unknown }): string {
  const text = nodeSummary(el.data as GraphNodeView | undefined);
  if (!text) return '';
  return `:host(rete-node) .title::after {
    content: ${JSON.stringify(text)}; display: block; margin-top: 2px; font-size: ${nodeTextSize}px; opacity: 0.88;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }`;
}
