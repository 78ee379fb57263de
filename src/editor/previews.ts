import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import type { GraphNode } from '../graph';
import type { RecordChange } from './frames';
import type { GraphSync } from './graph-sync';
import type { GraphNodeView, Schemes } from './schemes';

function withExpanded(node: GraphNode, expanded: boolean): void {
  const { expanded: _old, ...rest } = node.ui ?? {};
  node.ui = expanded ? { ...rest, expanded: true } : rest;
}

/**
 * Expands and collapses the live views inside view nodes. The state lives in the document as
 * `ui.expanded: true` (absent when collapsed; unknown `ui` fields are kept by older readers), so it
 * survives a save and reload. A toggle resizes the node, which refits its frame (see Frames).
 */
export class Previews {
  constructor(
    private readonly editor: NodeEditor<Schemes>,
    private readonly area: AreaPlugin<Schemes, any>,
    private readonly sync: GraphSync,
    private readonly record: RecordChange,
  ) {}

  /** True when the node is a view node showing its live view. */
  isExpanded(id: string): boolean {
    return this.editor.getNode(id)?.controls.preview?.expanded === true;
  }

  /** Expands or collapses a view node's live view, undoably; false for a node without one. */
  async setExpanded(id: string, expanded: boolean): Promise<boolean> {
    const view = this.editor.getNode(id);
    if (!view?.controls.preview) return false;
    if (view.controls.preview.expanded === expanded) return true;
    await this.apply(view, expanded);
    const again = (on: boolean) => async () => {
      const v = this.editor.getNode(id);
      if (v) await this.apply(v, on);
    };
    this.record(again(!expanded), again(expanded));
    return true;
  }

  private async apply(view: GraphNodeView, expanded: boolean): Promise<void> {
    const control = view.controls.preview;
    if (!control) return;
    control.expanded = expanded;
    withExpanded(view.graphNode, expanded);
    view.fitPreview();
    await this.area.update('control', control.id);
    await this.area.resize(view.id, view.width, view.height);
    this.sync.changed();
  }
}
