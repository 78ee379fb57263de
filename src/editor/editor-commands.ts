import type { Subject } from 'rxjs';
import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import type { HistoryPlugin } from 'rete-history-plugin';
import { errorMessage } from '../lib/error-message';
import type { clipboardCommands } from './clipboard';
import type { DeferredMinimap } from './deferred-minimap';
import type { AreaExtra } from './editor-plugins';
import { fitReadable, fitScale, withWireRoom } from './fit';
import type { Frames } from './frames';
import type { GraphSync } from './graph-sync';
import type { Previews } from './previews';
import type { Schemes } from './schemes';
import type { EditorCommand } from './shortcuts';
import type { NodeSelection } from './selection';
import { wrapBands } from './wrap-bands';

/** Auto-arrange for a canvas of w×h px. */
interface Arranger { layout(w: number, h: number): Promise<unknown> }

/** Removes a node with its edges (each an undo step of its own, as when done by hand). */
export async function removeNode(editor: NodeEditor<Schemes>, id: string): Promise<void> {
  if (!editor.getNode(id)) return;
  for (const c of editor.getConnections().filter((c) => c.source === id || c.target === id)) await editor.removeConnection(c.id);
  await editor.removeNode(id);
}

/**
 * The editor's commands (keys, menus and the app's buttons): undo/redo, frames, live views, delete,
 * clipboard, fit, minimap and auto-arrange. Those the editor does not handle itself (save,
 * run-toggle, help) go out on `commands$`. `ids` are the nodes a command acts on (default: the selection).
 */
export function editorCommands(parts: {
  editor: NodeEditor<Schemes>; area: AreaPlugin<Schemes, AreaExtra>; sync: GraphSync; history: HistoryPlugin<Schemes>;
  frames: Frames; previews: Previews; selection: NodeSelection; clipboard: ReturnType<typeof clipboardCommands>;
  minimap: DeferredMinimap<Schemes> | null; minimap$: Subject<boolean>; commands$: Subject<EditorCommand>;
}): (command: EditorCommand, ids?: readonly string[]) => Promise<void> {
  const { editor, area, sync, history, frames, previews, selection, clipboard, minimap } = parts;
  let arranger: Arranger | null = null;

  /** Auto-arrange (elkjs, loaded on first use); null, and a hint, where it cannot load. */
  async function loadArranger(): Promise<Arranger | null> {
    if (arranger) return arranger;
    try {
      const { AutoArrangePlugin, Presets: ArrangePresets, ArrangeAppliers } = await import('rete-auto-arrange-plugin');
      const plugin = new AutoArrangePlugin<Schemes>();
      plugin.addPreset(ArrangePresets.classic.setup());
      area.use(plugin);
      return (arranger = {
        layout(w, h) {
          // elk lays the graph out in one band, left to right: cut into rows where that shows it bigger in the canvas.
          const applier = new ArrangeAppliers.StandardApplier<Schemes, never>();
          const apply = applier.apply.bind(applier);
          applier.apply = (nodes, offset) => apply(offset ? nodes : wrapBands(nodes as Required<(typeof nodes)[number]>[],
            (box) => fitScale(withWireRoom({ left: 0, top: 0, ...box }), w, h)), offset);
          return plugin.layout({ applier });
        },
      });
    } catch (e) {
      sync.hints$.next(`Auto-arrange is not available here: ${errorMessage(e)}`);
      return null;
    }
  }

  return async function run(command, ids = selection.ids()) {
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
        const selected = selection.ids();
        history.separate();
        for (const id of selected) await removeNode(editor, id);
        return;
      }
      case 'copy': return clipboard.copy();
      case 'paste': return clipboard.paste();
      case 'duplicate': return clipboard.duplicate();
      case 'fit': return fitReadable(area, editor.getNodes());
      case 'toggle-minimap':
        if (!minimap) return;
        minimap.visible = !minimap.visible;
        return void parts.minimap$.next(minimap.visible);
      case 'arrange': {
        const plugin = await loadArranger();
        if (!plugin) return;
        // The layout places every node itself, so a frame it moves must not carry its members as well.
        await frames.placingEachNode(() => plugin.layout(area.container.clientWidth, area.container.clientHeight));
        await frames.fitAll();
        return fitReadable(area, editor.getNodes());
      }
      default:
        parts.commands$.next(command);
    }
  };
}
