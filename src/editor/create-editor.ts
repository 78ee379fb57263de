import { html } from 'lit';
import { Subject, type Observable } from 'rxjs';
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ConnectionPlugin } from 'rete-connection-plugin';
import { ContextMenuPlugin, Presets as ContextMenuPresets, type ContextMenuExtra } from 'rete-context-menu-plugin';
import { HistoryPlugin, Presets as HistoryPresets } from 'rete-history-plugin';
import type { MinimapExtra } from 'rete-minimap-plugin';
import { LitPlugin, Presets, type LitArea2D } from '@retejs/lit-plugin';
import type { Catalog, Endpoint, GraphDoc, GraphEdge, GraphNode, ParamIssue, Problem } from '../graph';
import { formatProblem } from '../graph';
import { boxSelect } from './box-select';
import { checkedConnectionFlow } from './connection-flow';
import { DeferredMinimap } from './deferred-minimap';
import { frameStyles } from './frame-look';
import { frameKind, Frames } from './frames';
import { GraphSync } from './graph-sync';
import { labelPaletteSearch, paletteGroups } from './palette';
import { PreviewControl } from './preview-control';
import type { PreviewHooks } from './preview-element';
import './preview-element';
import { previewStyles } from './preview-look';
import { Previews } from './previews';
import { summaryStyles } from './summary-look';
import { nodeLookStyles } from './node-look';
import { clampZoom, fitReadable } from './fit';
import { GraphNodeView, type Schemes } from './schemes';
import { commandForKey, isTyping, type EditorCommand } from './shortcuts';
import { socketColors } from './socket-colors';

type AreaExtra = LitArea2D<Schemes> | ContextMenuExtra | MinimapExtra;

/** A node's extra CSS: a frame's look, a view node's preview, the key params under the title. */
const nodeStyles = (el: { data?: unknown }) => nodeLookStyles(el) + frameStyles(el) + previewStyles(el) + summaryStyles(el);

export interface EditorOptions {
  /** Where key presses are listened for (default: the container, which becomes focusable). */
  keyTarget?: HTMLElement | Window;
  /** Have a minimap (default true); `minimapShown` says whether it starts shown (default true). */
  minimap?: boolean;
  minimapShown?: boolean;
  /**
   * The live content of an expanded view node (a Lit template), supplied by the app: the editor
   * never trains, so it knows no runs. Without it an expanded node says there is no live view.
   */
  renderPreview?: (nodeId: string) => unknown;
}

/** The editor as the app and the tests use it. */
export interface LatentEditor {
  readonly editor: NodeEditor<Schemes>;
  readonly area: AreaPlugin<Schemes, AreaExtra>;
  /** The document after every change (a copy). */
  readonly docChanged$: Observable<GraphDoc>;
  /** Short messages for the user: refused connections, nothing to paste, ... */
  readonly hints$: Observable<string>;
  /** The selected node id (the last picked), or null. */
  readonly selection$: Observable<string | null>;
  /** Commands the editor does not handle itself: save, run-toggle, help. */
  readonly commands$: Observable<EditorCommand>;
  loadDoc(doc: GraphDoc): Promise<void>;
  getDoc(): GraphDoc;
  /** Puts nodes (default: the selected ones) in a new frame drawn around them; returns its id, or null. */
  frame(ids?: readonly string[]): Promise<string | null>;
  /** Takes nodes (default: the selected ones) out of their frames. */
  unframe(ids?: readonly string[]): Promise<void>;
  /** Adds a node of a kind; returns its id (null for an unknown kind). */
  addNode(kind: string, position?: [number, number], id?: string): Promise<string | null>;
  connect(from: Endpoint, to: Endpoint, id?: string): Promise<string | null>;
  removeNode(id: string): Promise<void>;
  disconnect(edgeId: string): Promise<void>;
  /** Writes a param when it is valid for its spec; otherwise returns the issues and writes nothing. */
  setParam(nodeId: string, name: string, value: unknown): ParamIssue[];
  /** Selects one node (and zooms to it); with `add`, keeps the nodes selected already. */
  select(nodeId: string | null, options?: { add?: boolean }): Promise<void>;
  selectedIds(): string[];
  run(command: EditorCommand): Promise<void>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  /** Zooms to show every node, or just the given ones. */
  fitView(ids?: readonly string[]): Promise<void>;
  arrange(): Promise<void>;
  /** Marks nodes that have problems (outline + tooltip). */
  showProblems(problems: readonly Problem[]): void;
  /** Shows or hides a view node's live view inside it (undoable; kept as `ui.expanded`); false for other nodes. */
  setExpanded(nodeId: string, expanded: boolean): Promise<boolean>;
  /** True when a view node shows its live view inside it. */
  isExpanded(nodeId: string): boolean;
  /** Shows or hides the minimap (false when the editor has none); `minimapShown` says which. */
  setMinimap(shown: boolean): boolean;
  readonly minimapShown: boolean;
  /** Emits when the minimap is shown or hidden (by the M key or `setMinimap`). */
  readonly minimap$: Observable<boolean>;
  destroy(): void;
}


/** Creates the Rete editor inside `container` for the kinds of `catalog`. */
export async function createEditor(container: HTMLElement, catalog: Catalog, options: EditorOptions = {}): Promise<LatentEditor> {
  const editor = new NodeEditor<Schemes>();
  const area = new AreaPlugin<Schemes, AreaExtra>(container);
  const connection = new ConnectionPlugin<Schemes, AreaExtra>();
  const render = new LitPlugin<Schemes, AreaExtra>();
  const history = new HistoryPlugin<Schemes>();
  const sync = new GraphSync(editor, area, catalog);
  const selection$ = new Subject<string | null>();
  const minimap$ = new Subject<boolean>();
  const commands$ = new Subject<EditorCommand>();
  const selector = AreaExtensions.selector();
  const selectable = AreaExtensions.selectableNodes(area, selector, { accumulating: AreaExtensions.accumulateOnCtrl() });

  // A node picked from the palette lands where the palette was opened (the plugin would put it under the menu item).
  const placing = { at: { x: 0, y: 0 }, id: null as string | null };
  const classicItems = ContextMenuPresets.classic.setup(
    paletteGroups(catalog).map((g) => [g.title, g.kinds.map((k) => [k.title, () => {
      const view = sync.newView(k.kind)!;
      placing.id = view.id;
      return view;
    }] as [string, () => GraphNodeView])]),
  );
  const contextMenu = new ContextMenuPlugin<Schemes>({
    items(context, plugin) {
      if (context === 'root') placing.at = { ...area.area.pointer };
      const items = classicItems(context, plugin);
      if (!(context instanceof GraphNodeView)) return items;
      // The node's own menu also frames the selection it belongs to (or just this node).
      const selected = selectedIds();
      const ids = selected.includes(context.id) ? selected : [context.id];
      const extra = context.kind === frameKind ? [] : [{ label: 'Frame selection', key: 'frame', handler: () => void run('frame-selection', ids) }];
      if (frames.frameOf(context)) extra.push({ label: 'Remove from frame', key: 'unframe', handler: () => void run('unframe', ids) });
      return { ...items, list: [...items.list, ...extra] };
    },
  });

  render.addPreset(Presets.classic.setup({
    customize: {
      node(data) {
        return ({ emit }) => html`<rete-node .data=${data.payload} .emit=${emit} .styles=${nodeStyles}></rete-node>`;
      },
      control(data) {
        const control = data.payload;
        if (!(control instanceof PreviewControl)) return () => html`<rete-control .data=${control}></rete-control>`;
        return () => html`<lf-preview-control .data=${control} .hooks=${previewHooks}></lf-preview-control>`;
      },
      socket(data) {
        const type = (data.payload as { name: string }).name;
        return () => html`<div title=${type} style="width:16px;height:16px;border-radius:50%;margin:1px;box-sizing:border-box;border:2px solid #ffffffaa;background:${socketColors[type] ?? socketColors.unknown};cursor:crosshair"></div>`;
      },
    },
  }));
  render.addPreset(Presets.contextMenu.setup({ delay: 200 }));
  connection.addPreset(checkedConnectionFlow(sync, connection));
  history.addPreset(HistoryPresets.classic.setup());

  editor.use(area);
  area.use(connection);
  area.use(render);
  area.use(contextMenu);
  area.use(history);
  let minimap: DeferredMinimap<Schemes> | null = null;
  if (options.minimap !== false) {
    minimap = new DeferredMinimap<Schemes>({ boundViewport: true });
    render.addPreset(Presets.minimap.setup({ size: 110 }));
    area.use(minimap);
    minimap.visible = options.minimapShown !== false;
  }
  AreaExtensions.simpleNodesOrder(area);
  clampZoom(area);
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
  // After the area and the ordering: it needs node views, and puts frames back under picked nodes.
  const frames = new Frames(editor, area, sync, (undo, redo) => history.add({ undo, redo }));
  const previews = new Previews(editor, area, sync, (undo, redo) => history.add({ undo, redo }));
  const previewHooks: PreviewHooks = {
    toggle(nodeId: string) {
      history.separate();
      void previews.setExpanded(nodeId, !previews.isExpanded(nodeId));
    },
    ...(options.renderPreview ? { render: options.renderPreview } : {}),
  };

  let lastSelected: string | null = null;
  const emitSelection = () => {
    const ids = selectedIds();
    const next = ids.includes(lastSelected ?? '') ? lastSelected : (ids[ids.length - 1] ?? null);
    lastSelected = next;
    selection$.next(next);
  };
  area.addPipe((ctx) => {
    if (ctx.type === 'nodepicked') {
      lastSelected = ctx.data.id;
      queueMicrotask(emitSelection);
    } else if (ctx.type === 'pointerup' || ctx.type === 'noderemoved') {
      queueMicrotask(emitSelection);
    }
    return ctx;
  });
  editor.addPipe((ctx) => {
    if (ctx.type === 'noderemoved' || ctx.type === 'cleared') queueMicrotask(emitSelection);
    return ctx;
  });
  const box = boxSelect(area, editor, async (ids, add) => {
    if (!add) await selector.unselectAll();
    for (const id of ids) await selectable.select(id, true);
    emitSelection();
  });

  function selectedIds(): string[] {
    return [...selector.entities.values()].filter((e) => e.label === 'node' && editor.getNode(e.id)).map((e) => e.id);
  }

  async function removeNode(id: string): Promise<void> {
    if (!editor.getNode(id)) return;
    for (const c of editor.getConnections().filter((c) => c.source === id || c.target === id)) await editor.removeConnection(c.id);
    await editor.removeNode(id);
  }

  let clipboard: { nodes: GraphNode[]; edges: GraphEdge[] } | null = null;

  function copySelection(): { nodes: GraphNode[]; edges: GraphEdge[] } | null {
    const ids = new Set(selectedIds());
    if (ids.size === 0) return null;
    const doc = sync.getDoc();
    return { nodes: doc.nodes.filter((n) => ids.has(n.id)), edges: doc.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)) };
  }

  async function pasteNodes(data: { nodes: GraphNode[]; edges: GraphEdge[] }, offset: number): Promise<void> {
    history.separate();
    const newIds = new Map<string, string>();
    const used = new Set<string>();
    await selector.unselectAll();
    const views = data.nodes.map((node) => {
      const view = sync.copyView(node, used);
      newIds.set(node.id, view.id);
      return view;
    });
    frames.remapPasted(views.map((v) => v.graphNode), newIds);
    // Frames first, so that placing one does not carry members pasted before it.
    views.sort((a, b) => Number(b.kind === frameKind) - Number(a.kind === frameKind));
    for (const view of views) {
      const [x, y] = view.graphNode.ui?.position ?? [0, 0];
      view.graphNode.ui = { ...(view.graphNode.ui ?? {}), position: [x + offset, y + offset] };
      await editor.addNode(view);
      await area.translate(view.id, { x: x + offset, y: y + offset });
      await selectable.select(view.id, true);
    }
    for (const e of data.edges) {
      await sync.connect({ node: newIds.get(e.from.node)!, socket: e.from.socket }, { node: newIds.get(e.to.node)!, socket: e.to.socket });
    }
    emitSelection();
  }

  let arranger: { layout(): Promise<unknown> } | null = null;

  async function run(command: EditorCommand, ids: readonly string[] = selectedIds()): Promise<void> {
    switch (command) {
      case 'undo': return frames.placingEachNode(() => history.undo());
      case 'redo': return frames.placingEachNode(() => history.redo());
      case 'frame-selection': {
        history.separate();
        await frames.frameNodes(ids);
        return;
      }
      case 'unframe':
        history.separate();
        return frames.unframe(ids);
      case 'toggle-views': {
        // Opens them all unless all are open already (then closes them): one key for a mixed selection.
        const views = ids.filter((id) => editor.getNode(id)?.controls.preview);
        if (!views.length) return void sync.hints$.next('Select view nodes to show their live views');
        const open = !views.every((id) => previews.isExpanded(id));
        history.separate();
        for (const id of views) await previews.setExpanded(id, open);
        return;
      }
      case 'delete': {
        const ids = selectedIds();
        history.separate();
        for (const id of ids) await removeNode(id);
        return;
      }
      case 'copy':
        clipboard = copySelection();
        if (!clipboard) sync.hints$.next('Select nodes to copy first');
        return;
      case 'paste':
        if (!clipboard) return void sync.hints$.next('Nothing to paste: copy nodes with Ctrl+C first');
        return pasteNodes(clipboard, 40);
      case 'duplicate': {
        const data = copySelection();
        if (!data) return void sync.hints$.next('Select nodes to duplicate first');
        return pasteNodes(data, 40);
      }
      case 'fit': return fitReadable(area, editor.getNodes());
      case 'toggle-minimap':
        if (!minimap) return;
        minimap.visible = !minimap.visible;
        return void minimap$.next(minimap.visible);
      case 'arrange': {
        if (!arranger) {
          try {
            const { AutoArrangePlugin, Presets: ArrangePresets } = await import('rete-auto-arrange-plugin');
            const plugin = new AutoArrangePlugin<Schemes>();
            plugin.addPreset(ArrangePresets.classic.setup());
            area.use(plugin);
            arranger = plugin;
          } catch (e) {
            return void sync.hints$.next(`Auto-arrange is not available here: ${(e as Error).message}`);
          }
        }
        // The layout places every node itself, so a frame it moves must not carry its members as well.
        await frames.placingEachNode(() => arranger!.layout());
        await frames.fitAll();
        return fitReadable(area, editor.getNodes());
      }
      default:
        commands$.next(command);
    }
  }

  const keyTarget = options.keyTarget ?? container;
  if (keyTarget === container && container.tabIndex < 0) container.tabIndex = 0;
  const onKey = (event: Event) => {
    const e = event as KeyboardEvent;
    if (isTyping(e)) return;
    const command = commandForKey(e);
    if (!command) return;
    e.preventDefault();
    void run(command);
  };
  keyTarget.addEventListener('keydown', onKey);
  container.addEventListener('pointerdown', () => {
    if (keyTarget === container) container.focus({ preventScroll: true });
  });

  const marked = new Set<string>();

  return {
    editor,
    area,
    docChanged$: sync.docChanged$.asObservable(),
    hints$: sync.hints$.asObservable(),
    selection$: selection$.asObservable(),
    commands$: commands$.asObservable(),
    async loadDoc(doc) {
      const load = async () => {
        await frames.whileLoading(() => sync.loadDoc(doc));
        await frames.afterLoad();
        if (editor.getNodes().length) await fitReadable(area, editor.getNodes());
      };
      await (minimap ? minimap.hold(load) : load());
      history.clear();
      lastSelected = null;
      selection$.next(null);
    },
    getDoc: () => sync.getDoc(),
    async frame(ids = selectedIds()) {
      history.separate();
      return frames.frameNodes(ids);
    },
    unframe: (ids) => run('unframe', ids),
    async addNode(kind, position = [0, 0], id) {
      if (id !== undefined && editor.getNode(id)) {
        sync.hints$.next(`There is a node "${id}" already`);
        return null;
      }
      const view = sync.newView(kind, id);
      if (!view) {
        sync.hints$.next(`Unknown node kind "${kind}"`);
        return null;
      }
      view.graphNode.ui = { position: [...position] };
      await editor.addNode(view);
      await area.translate(view.id, { x: position[0], y: position[1] });
      return view.id;
    },
    connect: (from, to, id) => sync.connect(from, to, id),
    removeNode,
    async disconnect(edgeId) {
      if (editor.getConnection(edgeId)) await editor.removeConnection(edgeId);
    },
    setParam(nodeId, name, value) {
      return sync.setParam(nodeId, name, value, (undo, redo) => {
        history.separate();
        history.add({ undo, redo });
      });
    },
    async select(nodeId, options = {}) {
      if (!options.add) await selector.unselectAll();
      if (nodeId && editor.getNode(nodeId)) {
        await selectable.select(nodeId, !!options.add);
        lastSelected = nodeId;
        const view = area.nodeViews.get(nodeId);
        if (view) {
          const node = editor.getNode(nodeId)!;
          await AreaExtensions.zoomAt(area, [node], { scale: undefined });
        }
      }
      emitSelection();
    },
    selectedIds,
    run,
    undo: () => run('undo'),
    redo: () => run('redo'),
    async fitView(ids) {
      if (!ids) return run('fit');
      const nodes = ids.map((id) => editor.getNode(id)).filter((n): n is GraphNodeView => !!n);
      if (nodes.length) await AreaExtensions.zoomAt(area, nodes);
    },
    arrange: () => run('arrange'),
    showProblems(problems) {
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
    },
    async setExpanded(nodeId, expanded) {
      history.separate();
      return previews.setExpanded(nodeId, expanded);
    },
    isExpanded: (nodeId) => previews.isExpanded(nodeId),
    setMinimap(shown) {
      if (!minimap) return false;
      if (minimap.visible !== shown) {
        minimap.visible = shown;
        minimap$.next(shown);
      }
      return true;
    },
    get minimapShown() {
      return minimap?.visible ?? false;
    },
    minimap$: minimap$.asObservable(),
    destroy() {
      box.destroy();
      keyTarget.removeEventListener('keydown', onKey);
      area.destroy();
    },
  };
}

