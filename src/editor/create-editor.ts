import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import type { Catalog, Endpoint, GraphDoc, ParamIssue, Problem } from '../graph';
import { clipboardCommands } from './clipboard';
import { editorCommands, removeNode } from './editor-commands';
import { installPlugins, type AreaExtra } from './editor-plugins';
import { fitReadable } from './fit';
import { frameKind, Frames } from './frames';
import { GraphSync } from './graph-sync';
import { listenForKeys } from './key-commands';
import { paletteMenu } from './palette-menu';
import type { PreviewHooks } from './preview-element';
import { Previews } from './previews';
import { problemMarks } from './problem-marks';
import { GraphNodeView, type Schemes } from './schemes';
import { nodeSelection } from './selection';
import type { EditorCommand } from './shortcuts';

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
  /** Resolves when the command of the last shortcut pressed is done. */
  keysSettled(): Promise<void>;
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

/**
 * Creates the Rete editor inside `container` for the kinds of `catalog`, composed of parts with one
 * concern each: the area and its plugins (editor-plugins.ts), the document sync (graph-sync.ts), the
 * palette and node menus (palette-menu.ts), frames, live views, the selection (selection.ts), the
 * clipboard, the commands (editor-commands.ts), the keys (key-commands.ts) and the problem marks.
 */
export async function createEditor(container: HTMLElement, catalog: Catalog, options: EditorOptions = {}): Promise<LatentEditor> {
  const editor = new NodeEditor<Schemes>();
  const area = new AreaPlugin<Schemes, AreaExtra>(container);
  const sync = new GraphSync(editor, area, catalog);
  const minimap$ = new Subject<boolean>();
  const commands$ = new Subject<EditorCommand>();
  const selection = nodeSelection(editor, area);
  const contextMenu = paletteMenu(editor, area, sync, catalog, (node) => {
    // The node's own menu also frames the selection it belongs to (or just this node).
    const selected = selection.ids();
    const ids = selected.includes(node.id) ? selected : [node.id];
    const extra = node.kind === frameKind ? [] : [{ label: 'Frame selection', key: 'frame', handler: () => void run('frame-selection', ids) }];
    if (frames.frameOf(node)) extra.push({ label: 'Remove from frame', key: 'unframe', handler: () => void run('unframe', ids) });
    return extra;
  });
  const previewHooks: PreviewHooks = {
    toggle(nodeId: string) {
      history.separate();
      void previews.setExpanded(nodeId, !previews.isExpanded(nodeId));
    },
    ...(options.renderPreview ? { render: options.renderPreview } : {}),
  };
  const { history, minimap } = installPlugins(editor, area, {
    sync, contextMenu, previewHooks, minimap: options.minimap !== false, minimapShown: options.minimapShown !== false,
  });
  // After the area and the ordering: it needs node views, and puts frames back under picked nodes.
  const frames = new Frames(editor, area, sync, (undo, redo) => history.add({ undo, redo }));
  const previews = new Previews(editor, area, sync, (undo, redo) => history.add({ undo, redo }));
  selection.watch();
  const clipboard = clipboardCommands({ editor, area, sync, selection, frames, history });
  const run = editorCommands({ editor, area, sync, history, frames, previews, selection, clipboard, minimap, minimap$, commands$ });
  const keys = listenForKeys(container, options.keyTarget ?? container, (command) => run(command));

  return {
    editor,
    area,
    docChanged$: sync.docChanged$.asObservable(),
    hints$: sync.hints$.asObservable(),
    selection$: selection.selection$,
    commands$: commands$.asObservable(),
    async loadDoc(doc) {
      const load = async () => {
        await frames.whileLoading(() => sync.loadDoc(doc));
        await frames.afterLoad();
        if (editor.getNodes().length) await fitReadable(area, editor.getNodes());
      };
      await (minimap ? minimap.hold(load) : load());
      history.clear();
      selection.reset();
    },
    getDoc: () => sync.getDoc(),
    async frame(ids = selection.ids()) {
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
    removeNode: (id) => removeNode(editor, id),
    async disconnect(edgeId) {
      if (editor.getConnection(edgeId)) await editor.removeConnection(edgeId);
    },
    setParam(nodeId, name, value) {
      return sync.setParam(nodeId, name, value, (undo, redo) => {
        history.separate();
        history.add({ undo, redo });
      });
    },
    select: (nodeId, options = {}) => selection.select(nodeId, !!options.add),
    selectedIds: () => selection.ids(),
    run,
    keysSettled: () => keys.settled(),
    undo: () => run('undo'),
    redo: () => run('redo'),
    async fitView(ids) {
      if (!ids) return run('fit');
      const nodes = ids.map((id) => editor.getNode(id)).filter((n): n is GraphNodeView => !!n);
      if (nodes.length) await AreaExtensions.zoomAt(area, nodes);
    },
    arrange: () => run('arrange'),
    showProblems: problemMarks(area),
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
      selection.destroy();
      keys.destroy();
      area.destroy();
    },
  };
}
