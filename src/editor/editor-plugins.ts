import { html } from 'lit';
import type { NodeEditor } from 'rete';
import { AreaExtensions, type AreaPlugin } from 'rete-area-plugin';
import { ConnectionPlugin } from 'rete-connection-plugin';
import type { ContextMenuExtra, ContextMenuPlugin } from 'rete-context-menu-plugin';
import { HistoryPlugin, Presets as HistoryPresets } from 'rete-history-plugin';
import type { MinimapExtra } from 'rete-minimap-plugin';
import { LitPlugin, Presets, type LitArea2D } from '@retejs/lit-plugin';
import { checkedConnectionFlow } from './connection-flow';
import { wirePath, type Point } from './connection-path';
import { DeferredMinimap } from './deferred-minimap';
import { clampZoom } from './fit';
import { frameStyles } from './frame-look';
import type { GraphSync } from './graph-sync';
import { nodeLookStyles } from './node-look';
import { PreviewControl } from './preview-control';
import { NoteSweepControl } from './note-sweep';
import type { PreviewHooks } from './preview-element';
import './preview-element';
import { contextMenuRender } from './palette-menu';
import { previewStyles } from './preview-look';
import type { Schemes } from './schemes';
import { socketColors } from './socket-colors';
import { summaryStyles } from './summary-look';

export type AreaExtra = LitArea2D<Schemes> | ContextMenuExtra | MinimapExtra;

/** A node's extra CSS: a frame's look, a view node's preview, the key params under the title. */
const nodeStyles = (el: { data?: unknown }) => nodeLookStyles(el) + frameStyles(el) + previewStyles(el) + summaryStyles(el);

/** The Lit renderer: nodes with their extra looks, view nodes' preview controls, sockets in their type's colour, the menu, the minimap. */
function litRender(previewHooks: PreviewHooks, minimap: boolean, container: HTMLElement): LitPlugin<Schemes, AreaExtra> {
  const render = new LitPlugin<Schemes, AreaExtra>();
  render.addPreset(Presets.classic.setup({
    customize: {
      node(data) {
        return ({ emit }) => html`<rete-node .data=${data.payload} .emit=${emit} .styles=${nodeStyles}></rete-node>`;
      },
      control(data) {
        const control = data.payload;
        if (control instanceof NoteSweepControl) return () => html`<lf-note-sweep .data=${control}></lf-note-sweep>`;
        if (!(control instanceof PreviewControl)) return () => html`<rete-control .data=${control}></rete-control>`;
        return () => html`<lf-preview-control .data=${control} .hooks=${previewHooks}></lf-preview-control>`;
      },
      socket(data) {
        const type = (data.payload as { name: string }).name;
        return () => html`<div title=${type} style="width:16px;height:16px;border-radius:50%;margin:1px;box-sizing:border-box;border:2px solid #ffffffaa;background:${socketColors[type] ?? socketColors.unknown};cursor:crosshair"></div>`;
      },
    },
  }));
  // The menu stays on the canvas: never under the views panel or past the window's edge.
  render.addPreset<ContextMenuExtra>(contextMenuRender(() => container.getBoundingClientRect(), 200));
  if (minimap) render.addPreset(Presets.minimap.setup({ size: 110 }));
  return render;
}

/** Wires back from one row of nodes to the next are routed between the rows, clear of other nodes (connection-path.ts). */
function routeWires(editor: NodeEditor<Schemes>, area: AreaPlugin<Schemes, AreaExtra>, render: LitPlugin<Schemes, AreaExtra>): void {
  const nodeBox = (id: string) => {
    const view = area.nodeViews.get(id), node = editor.getNode(id);
    return view && node ? { ...view.position, width: node.width, height: node.height } : undefined;
  };
  render.addPipe((context) => {
    if (context.type !== 'connectionpath') return context;
    const [start, end] = context.data.points as [Point, Point];
    const others = editor.getNodes().map((n) => nodeBox(n.id)).filter((b) => b !== undefined);
    return { ...context, data: { ...context.data, path: wirePath(start, end, nodeBox(context.data.payload.source), nodeBox(context.data.payload.target), others) } };
  });
}

/**
 * The area's plugins, in the order their pipes must see events: connections (checked against the
 * kinds' sockets), the Lit renderer, the context menu, undo history, the minimap; then the node
 * ordering and the zoom limits.
 */
export function installPlugins(editor: NodeEditor<Schemes>, area: AreaPlugin<Schemes, AreaExtra>, o: {
  sync: GraphSync;
  contextMenu: ContextMenuPlugin<Schemes>;
  previewHooks: PreviewHooks;
  /** Have a minimap, and whether it starts shown. */
  minimap: boolean;
  minimapShown: boolean;
}): { history: HistoryPlugin<Schemes>; minimap: DeferredMinimap<Schemes> | null } {
  const connection = new ConnectionPlugin<Schemes, AreaExtra>();
  const render = litRender(o.previewHooks, o.minimap, area.container);
  routeWires(editor, area, render);
  const history = new HistoryPlugin<Schemes>();
  connection.addPreset(checkedConnectionFlow(o.sync, connection));
  history.addPreset(HistoryPresets.classic.setup());

  editor.use(area);
  area.use(connection);
  area.use(render);
  area.use(o.contextMenu);
  area.use(history);
  let minimap: DeferredMinimap<Schemes> | null = null;
  if (o.minimap) {
    minimap = new DeferredMinimap<Schemes>({ boundViewport: true });
    area.use(minimap);
    minimap.visible = o.minimapShown;
  }
  AreaExtensions.simpleNodesOrder(area);
  clampZoom(area);
  return { history, minimap };
}
