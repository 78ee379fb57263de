import type { Catalog, KindSpec } from './catalog';
import { kindParams } from './params';
import type { GraphDoc } from './schema';

/**
 * Views that draw whatever they are given, named after what feeds them (a latent grid, sampled images):
 * the views panel titles their cards so, the editor says it on their faces.
 */
export const namedBySource: ReadonlySet<string> = new Set(['view.image-grid']);

/**
 * A view node's name for people: its kind's label or title ("Latent scatter"), or, for a generic
 * view, the title of the node that feeds it ("Latent grid", "Sample new"); never the raw node id.
 */
export function viewTitle(doc: GraphDoc | null, catalog: Catalog | null, viewId: string): string {
  const node = doc?.nodes.find((n) => n.id === viewId);
  if (!node) return viewId;
  const own = nodeTitle(node, catalog);
  if (!namedBySource.has(node.kind)) return own;
  return sourceTitle(doc, catalog, viewId) ?? own;
}

/** The title of the node a view's data input is connected to, or null when it is not connected. */
export function sourceTitle(doc: GraphDoc | null, catalog: Catalog | null, viewId: string): string | null {
  const edge = doc?.edges.find((e) => e.to.node === viewId && e.to.socket !== 'decoder');
  const from = edge && doc!.nodes.find((n) => n.id === edge.from.node);
  return from ? nodeTitle(from, catalog) : null;
}

/** A node's name on the canvas: its kind's label from its params or the kind's title ("Encoder (dense)"); its kind for an unknown one. */
export function nodeTitle(node: GraphDoc['nodes'][number], catalog: Catalog | null): string {
  const spec = catalog?.get(node.kind);
  return spec ? (kindLabel(spec, node.params) || spec.title) : node.kind;
}

/** The title a kind gives a node from its params (a comment's text), or undefined: none, or params it cannot read. */
export function kindLabel(spec: KindSpec, params: Readonly<Record<string, unknown>>): string | undefined {
  if (!spec.label) return undefined;
  const p = kindParams(spec.params, params);
  return p ? spec.label(p) : undefined;
}
