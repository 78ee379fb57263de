import { html, type TemplateResult } from 'lit';
import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import { ContextMenuPlugin, Presets as ContextMenuPresets, type ContextMenuExtra } from 'rete-context-menu-plugin';
import type { Catalog } from '../graph';
import './context-menu-element';
import type { MenuBounds } from './context-menu-element';
import type { AreaExtra } from './editor-plugins';
import type { GraphSync } from './graph-sync';
import { paletteGroups, type MenuItem } from './palette';
import { GraphNodeView, type Schemes } from './schemes';

/** An entry the context menu adds to a node's own menu. */
export interface NodeMenuItem { label: string; key: string; handler(): void }

/**
 * The context menu: on the canvas, the palette of node kinds (grouped, searchable by title, kind id,
 * description and summary); on a node, the plugin's items plus `nodeItems(node)`. A node picked from the
 * palette goes where the palette was opened.
 */
export function paletteMenu(editor: NodeEditor<Schemes>, area: AreaPlugin<Schemes, AreaExtra>, sync: GraphSync, catalog: Catalog, nodeItems: (node: GraphNodeView) => NodeMenuItem[]) {
  let at = { x: 0, y: 0 };
  const add = async (kind: string) => {
    const view = sync.newView(kind)!;
    await editor.addNode(view);
    await area.translate(view.id, at);
  };
  const palette: MenuItem[] = paletteGroups(catalog).map((g) => ({
    label: g.title, key: g.category, handler: () => undefined,
    subitems: g.kinds.map((k) => ({ label: k.title, key: k.kind, search: k.search, handler: () => void add(k.kind) })),
  }));
  const nodeMenu = ContextMenuPresets.classic.setup([]);
  return new ContextMenuPlugin<Schemes>({
    items(context, menu) {
      if (context === 'root') {
        at = { ...area.area.pointer };
        return { searchBar: true, list: palette };
      }
      const items = nodeMenu(context, menu);
      return context instanceof GraphNodeView ? { ...items, list: [...items.list, ...nodeItems(context)] } : items;
    },
  });
}

type MenuSignal = Extract<ContextMenuExtra, { type: 'render' }>;

/** Renders the context menu as `<lf-context-menu>`, kept inside `bounds()` (a lit plugin preset for the menu's signal). */
export function contextMenuRender(bounds: () => MenuBounds, delay: number): {
  update(context: MenuSignal): Record<string, unknown> | undefined;
  render(context: MenuSignal): TemplateResult | undefined;
} {
  const props = (data: MenuSignal['data']) => ({ items: data.items, searchBar: data.searchBar ?? false, onHide: data.onHide, delay, bounds });
  return {
    update: (context) => (context.data.type === 'contextmenu' ? props(context.data) : undefined),
    render: (context) => {
      if (context.data.type !== 'contextmenu') return undefined;
      const p = props(context.data);
      return html`<lf-context-menu .items=${p.items} .searchBar=${p.searchBar} .onHide=${p.onHide} .delay=${p.delay} .bounds=${p.bounds}></lf-context-menu>`;
    },
  };
}
