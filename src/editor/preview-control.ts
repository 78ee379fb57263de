import { ClassicPreset } from 'rete';

/** The live view's box inside an expanded node. */
export const previewBox = { width: 240, height: 170 };
/** The toggle's row under the node's sockets (always there on a view node). */
export const toggleRowHeight = 24;
/** Room the expanded box takes besides its own size: the control's side padding and the node's border. */
const expandedExtra = { width: 24, height: 6 };

/**
 * The "▸ view" toggle of a view node, and the live view under it when expanded. It is a Rete
 * control so the classic node draws it inside itself; `expanded` mirrors the node's `ui.expanded`.
 */
export class PreviewControl extends ClassicPreset.Control {
  constructor(readonly nodeId: string, public expanded: boolean) {
    super();
  }
}

/** A view node's size: `collapsed` is its size without the toggle row (sockets only). */
export function previewNodeSize(collapsed: { width: number; height: number }, expanded: boolean): { width: number; height: number } {
  const height = collapsed.height + toggleRowHeight;
  if (!expanded) return { width: collapsed.width, height };
  return {
    width: Math.max(collapsed.width, previewBox.width + expandedExtra.width),
    height: height + previewBox.height + expandedExtra.height,
  };
}
