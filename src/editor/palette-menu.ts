import type { AreaPlugin } from 'rete-area-plugin';
import { ContextMenuPlugin, Presets as ContextMenuPresets } from 'rete-context-menu-plugin';
import type { Catalog } from '../graph';
import type { AreaExtra } from './editor-plugins';
import type { GraphSync } from './graph-sync';
import { labelPaletteSearch, paletteGroups } from './palette';
import { GraphNodeView, type Schemes } from './schemes';

/** An entry the context menu adds to a node's own menu. */
export interface NodeMenuItem { label: string; key: string; handler(): void }

/**
 * The context menu: on the canvas, the palette of node kinds (grouped, searchable); on a node, the
 * plugin's items plus `nodeItems(node)`. `place` (an area pipe, added once the plugins are in) puts a
 * node picked from the palette where the palette was opened (the plugin would put it under the menu item).
 */
export function paletteMenu(area: AreaPlugin<Schemes, AreaExtra>, sync: GraphSync, catalog: Catalog, nodeItems: (node: GraphNodeView) => NodeMenuItem[]) {
  const placing = { at: { x: 0, y: 0 }, id: null as string | null };
  const classicItems = ContextMenuPresets.classic.setup(
    paletteGroups(catalog).map((g) => [g.title, g.kinds.map((k) => [k.title, () => {
      const view = sync.newView(k.kind)!;
      placing.id = view.id;
      return view;
    }] as [string, () => GraphNodeView])]),
  );
  const plugin = new ContextMenuPlugin<Schemes>({
    items(context, menu) {
      if (context === 'root') placing.at = { ...area.area.pointer };
      const items = classicItems(context, menu);
      if (!(context instanceof GraphNodeView)) return items;
      return { ...items, list: [...items.list, ...nodeItems(context)] };
    },
  });
  function place(): void {
    area.addPipe((ctx) => {
      // The palette's own move: to the pointer where the menu item was clicked.
      const { x, y } = area.area.pointer;
      if (ctx.type === 'nodetranslate' && ctx.data.id === placing.id && ctx.data.position.x === x && ctx.data.position.y === y) {
        placing.id = null;
        return { ...ctx, data: { ...ctx.data, position: { ...placing.at } } };
      }
      if (ctx.type === 'render' && ctx.data.type === 'contextmenu') labelPaletteSearch(ctx.data.element);
      return ctx;
    });
  }
  return { plugin, place };
}
