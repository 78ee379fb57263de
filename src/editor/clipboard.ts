import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import type { HistoryPlugin } from 'rete-history-plugin';
import type { GraphEdge, GraphNode } from '../graph';
import type { AreaExtra } from './editor-plugins';
import { frameKind, type Frames } from './frames';
import type { GraphSync } from './graph-sync';
import type { Schemes } from './schemes';
import type { NodeSelection } from './selection';

/** Nodes and the edges between them, as copied. */
interface Copied { nodes: GraphNode[]; edges: GraphEdge[] }

/** How far a pasted or duplicated copy sits from its original, in canvas pixels. */
const pasteOffset = 40;

/** Copy, paste and duplicate of the selected nodes (with the edges between them and their frames). */
export function clipboardCommands(parts: {
  editor: NodeEditor<Schemes>; area: AreaPlugin<Schemes, AreaExtra>; sync: GraphSync; selection: NodeSelection; frames: Frames; history: HistoryPlugin<Schemes>;
}) {
  const { editor, area, sync, selection, frames, history } = parts;
  let clipboard: Copied | null = null;

  function copySelection(): Copied | null {
    const ids = new Set(selection.ids());
    if (ids.size === 0) return null;
    const doc = sync.getDoc();
    return { nodes: doc.nodes.filter((n) => ids.has(n.id)), edges: doc.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)) };
  }

  async function pasteNodes(data: Copied, offset: number): Promise<void> {
    history.separate();
    const newIds = new Map<string, string>();
    const used = new Set<string>();
    await selection.unselectAll();
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
      await selection.add(view.id);
    }
    for (const e of data.edges) {
      await sync.connect({ node: newIds.get(e.from.node)!, socket: e.from.socket }, { node: newIds.get(e.to.node)!, socket: e.to.socket });
    }
    selection.emit();
  }

  return {
    copy(): void {
      clipboard = copySelection();
      if (!clipboard) sync.hints$.next('Select nodes to copy first');
    },
    async paste(): Promise<void> {
      if (!clipboard) return void sync.hints$.next('Nothing to paste: copy nodes with Ctrl+C first');
      return pasteNodes(clipboard, pasteOffset);
    },
    async duplicate(): Promise<void> {
      const data = copySelection();
      if (!data) return void sync.hints$.next('Select nodes to duplicate first');
      return pasteNodes(data, pasteOffset);
    },
  };
}
