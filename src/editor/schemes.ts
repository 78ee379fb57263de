import { ClassicPreset, type GetSchemes } from 'rete';
import { kindLabel, type GraphNode, type KindSpec, type SocketType } from '../graph';
import { PreviewControl, previewNodeSize } from './preview-control';
import { commentHeight, nodeLook, titleLines } from './node-look';
import { NoteSweepControl, noteSweepRowHeight } from './note-sweep';
import { summaryHeight } from './summary-look';

/** The editor-side socket: one instance per socket type, named after it. */
export class TypedSocket extends ClassicPreset.Socket {
  constructor(readonly type: SocketType | 'unknown') {
    super(type);
  }
}

const sockets = new Map<string, TypedSocket>();
/** The shared socket object for a type (rete compares sockets by object for nothing; we compare by type). */
export function socketFor(type: SocketType | 'unknown'): TypedSocket {
  let s = sockets.get(type);
  if (!s) sockets.set(type, (s = new TypedSocket(type)));
  return s;
}

/**
 * A node in the editor. It holds the very `GraphNode` object of the document, so params and
 * unknown fields stay in one place; `spec` is undefined for a placeholder of an unknown kind.
 * A view node (category `view`) also has a `preview` control: a toggle that shows its live view inside it;
 * a comment with a `sweep` param a `sweep` control: a button that runs that sweep.
 */
export class GraphNodeView extends ClassicPreset.Node<Record<string, TypedSocket>, Record<string, TypedSocket>, { preview?: PreviewControl; sweep?: NoteSweepControl }> {
  width = nodeLook.width;
  height = 0;
  /** For a view named after what feeds it (an image grid), that node's title; null when nothing does. */
  source: string | null = null;
  /** The size without a preview control (sockets only). */
  private readonly plainSize: { width: number; height: number };
  constructor(readonly graphNode: GraphNode, readonly spec: KindSpec | undefined, extraSockets: { inputs: string[]; outputs: string[] } = { inputs: [], outputs: [] }) {
    super(spec ? (kindLabel(spec, graphNode.params) ?? spec.title) : `Unknown: ${graphNode.kind}`);
    this.id = graphNode.id;
    if (spec) {
      for (const [name, s] of Object.entries(spec.inputs)) {
        this.addInput(name, new ClassicPreset.Input(socketFor(s.type), `${s.label ?? name}${s.optional ? '?' : ''}`, s.multi ?? false));
      }
      for (const [name, s] of Object.entries(spec.outputs)) {
        this.addOutput(name, new ClassicPreset.Output(socketFor(s.type), s.label ?? name, true));
      }
    } else {
      for (const name of extraSockets.inputs) this.addInput(name, new ClassicPreset.Input(socketFor('unknown'), name, true));
      for (const name of extraSockets.outputs) this.addOutput(name, new ClassicPreset.Output(socketFor('unknown'), name, true));
    }
    const rows = Object.keys(this.inputs).length + Object.keys(this.outputs).length;
    this.height = nodeLook.chrome + rows * nodeLook.row + (spec?.summary ? summaryHeight : 0) + (titleLines(this.label) - 1) * nodeLook.titleLine;
    if (graphNode.kind === 'note.comment') this.fitComment();
    this.plainSize = { width: this.width, height: this.height };
    if (spec?.category === 'view') {
      this.addControl('preview', new PreviewControl(this.id, graphNode.ui?.expanded === true));
      this.fitPreview();
    }
  }

  /** Sizes a comment for its text (its title) and its sweep button, if any, so that nothing is clipped. */
  fitComment(): void {
    const spec = String(this.graphNode.params.sweep ?? '').trim();
    if (spec && this.controls.sweep) this.controls.sweep.spec = spec;
    else if (spec) this.addControl('sweep', new NoteSweepControl(spec));
    else if (this.controls.sweep) this.removeControl('sweep');
    this.width = nodeLook.commentWidth;
    this.height = commentHeight(this.label) + (spec ? noteSweepRowHeight : 0);
  }

  /** Sizes the node for its preview control's state (expanded or not); a no-op without one. */
  fitPreview(): void {
    const control = this.controls.preview;
    if (!control) return;
    const size = previewNodeSize(this.plainSize, control.expanded);
    this.width = size.width;
    this.height = size.height;
  }

  get kind(): string {
    return this.graphNode.kind;
  }
}

export class GraphEdgeView extends ClassicPreset.Connection<ClassicPreset.Node, ClassicPreset.Node> {}

export type Schemes = GetSchemes<GraphNodeView, GraphEdgeView>;
