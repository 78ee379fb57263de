import { Subject } from 'rxjs';
import type { NodeEditor } from 'rete';
import { AreaExtensions, type AreaPlugin } from 'rete-area-plugin';
import { boxSelect } from './box-select';
import type { AreaExtra } from './editor-plugins';
import type { Schemes } from './schemes';

/**
 * Which nodes are selected: picked (Ctrl adds), box-selected (Shift+drag), or chosen by the app. The
 * selected node reported in `selection$` is the last one picked while it stays selected.
 */
export function nodeSelection(editor: NodeEditor<Schemes>, area: AreaPlugin<Schemes, AreaExtra>) {
  const selection$ = new Subject<string | null>();
  const selector = AreaExtensions.selector();
  const selectable = AreaExtensions.selectableNodes(area, selector, { accumulating: AreaExtensions.accumulateOnCtrl() });
  let lastSelected: string | null = null;
  let box: { destroy(): void } | null = null;

  function ids(): string[] {
    return [...selector.entities.values()].filter((e) => e.label === 'node' && editor.getNode(e.id)).map((e) => e.id);
  }
  function emit(): void {
    const now = ids();
    const next = now.includes(lastSelected ?? '') ? lastSelected : (now[now.length - 1] ?? null);
    lastSelected = next;
    selection$.next(next);
  }
  return {
    selection$: selection$.asObservable(),
    ids,
    emit,
    unselectAll: () => selector.unselectAll(),
    /** Adds a node to the selection (without reporting it: `emit` does, once all are in). */
    add: (id: string) => selectable.select(id, true),
    /** Selects one node (and zooms to it); with `add`, keeps the nodes selected already. */
    async select(nodeId: string | null, add = false): Promise<void> {
      if (!add) await selector.unselectAll();
      if (nodeId && editor.getNode(nodeId)) {
        await selectable.select(nodeId, add);
        lastSelected = nodeId;
        if (area.nodeViews.get(nodeId)) await AreaExtensions.zoomAt(area, [editor.getNode(nodeId)!], { scale: undefined });
      }
      emit();
    },
    /** A new document: nothing is selected. */
    reset(): void {
      lastSelected = null;
      selection$.next(null);
    },
    /**
     * Starts reporting the selection: its area pipes go after the other parts' (frames put themselves
     * back under picked nodes first), and Shift+drag draws a selection box.
     */
    watch(): void {
      area.addPipe((ctx) => {
        if (ctx.type === 'nodepicked') {
          lastSelected = ctx.data.id;
          queueMicrotask(emit);
        } else if (ctx.type === 'pointerup' || ctx.type === 'noderemoved') {
          queueMicrotask(emit);
        }
        return ctx;
      });
      editor.addPipe((ctx) => {
        if (ctx.type === 'noderemoved' || ctx.type === 'cleared') queueMicrotask(emit);
        return ctx;
      });
      box = boxSelect(area, editor, async (picked, add) => {
        if (!add) await selector.unselectAll();
        for (const id of picked) await selectable.select(id, true);
        emit();
      });
    },
    destroy: () => box?.destroy(),
  };
}

export type NodeSelection = ReturnType<typeof nodeSelection>;
