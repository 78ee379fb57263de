import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import type { GraphNode } from '../graph';
import type { GraphSync } from './graph-sync';
import type { GraphNodeView, Schemes } from './schemes';

/** The node kind that groups other nodes on the canvas. */
export const frameKind = 'note.frame';

/** Room around the members: the top leaves space for the frame's title. */
const padding = { top: 56, right: 24, bottom: 24, left: 24 };
/** The size of a frame with no members (a new one from the palette). */
const emptySize = { width: 320, height: 160 };

/** Records an undoable change (the editor's history). */
export type RecordChange = (undo: () => Promise<void>, redo: () => Promise<void>) => void;

/** The frame a document node names in `ui.parent` (not checked against the editor). */
function parentField(node: GraphNode): string | undefined {
  const parent = node.ui?.parent;
  return typeof parent === 'string' ? parent : undefined;
}

function withParent(node: GraphNode, parent: string | undefined): void {
  const { parent: _old, ...rest } = node.ui ?? {};
  node.ui = parent === undefined ? rest : { ...rest, parent };
}

/**
 * Frames: `note.frame` nodes that group other nodes. Membership lives in the document as
 * `ui.parent` on each member (unknown `ui` fields are kept by older readers, so files stay
 * compatible). A frame is drawn behind everything, sized around its members, and moving it moves
 * them; moving or resizing a member refits its frame. Deleting a frame keeps its members and clears their `ui.parent`.
 */
export class Frames {
  /** While > 0, a frame's move does not carry its members (our own fits; `placingEachNode`). */
  private holdMembers = 0;
  /** While > 0, a member's move does not refit its frame (the members are moving with their frame). */
  private holdFits = 0;
  private loading = false;

  constructor(
    private readonly editor: NodeEditor<Schemes>,
    private readonly area: AreaPlugin<Schemes, any>,
    private readonly sync: GraphSync,
    private readonly record: RecordChange,
  ) {
    // Synchronous for every other signal: the area emits many (pointer moves, renders).
    editor.addPipe((ctx) => {
      if (this.loading) return ctx;
      if (ctx.type === 'nodecreated') return this.onNodeAdded(ctx.data).then(() => ctx);
      if (ctx.type === 'noderemoved') return this.onNodeRemoved(ctx.data).then(() => ctx);
      return ctx;
    });
    area.addPipe((ctx) => {
      if (this.loading) return ctx;
      if (ctx.type === 'nodetranslated') {
        const { id, position, previous } = ctx.data;
        return this.onNodeMoved(id, position.x - previous.x, position.y - previous.y).then(() => ctx);
      }
      // A member that grows or shrinks (a view node's live view) refits its frame; a frame's own fit resizes only itself.
      if (ctx.type === 'noderesized') {
        const view = this.editor.getNode(ctx.data.id);
        const frame = view && view.kind !== frameKind ? this.frameOf(view) : undefined;
        return frame ? this.fit(frame).then(() => ctx) : ctx;
      }
      // Picking a node (a frame too) and drawing a connection put them on top: frames go back under.
      if (ctx.type === 'nodepicked' || ctx.type === 'connectioncreated') this.sendBack();
      return ctx;
    });
  }

  /** True when the editor node is a frame. */
  isFrame(id: string): boolean {
    return this.editor.getNode(id)?.kind === frameKind;
  }

  /** The frame a node belongs to, when `ui.parent` names a frame that is in the editor. */
  frameOf(view: GraphNodeView): string | undefined {
    const parent = parentField(view.graphNode);
    return parent !== undefined && parent !== view.id && this.isFrame(parent) ? parent : undefined;
  }

  /** The nodes inside a frame. */
  members(frameId: string): GraphNodeView[] {
    return this.editor.getNodes().filter((n) => n.kind !== frameKind && parentField(n.graphNode) === frameId);
  }

  /** Runs a document load without reacting to each node; then call `afterLoad`. */
  async whileLoading<T>(work: () => Promise<T>): Promise<T> {
    this.loading = true;
    try {
      return await work();
    } finally {
      this.loading = false;
    }
  }

  /** After a load: warns about `ui.parent` fields that name no frame (they are ignored), fits every frame. */
  async afterLoad(): Promise<void> {
    const ignored = this.editor.getNodes().filter((n) => n.graphNode.ui?.parent !== undefined && this.frameOf(n) === undefined);
    if (ignored.length) {
      const list = ignored.slice(0, 3).map((n) => `"${n.id}" names ${JSON.stringify(n.graphNode.ui?.parent)}`).join(', ');
      const message = `Ignored the frame of ${ignored.length} node${ignored.length > 1 ? 's' : ''} (${list}${ignored.length > 3 ? ', …' : ''}): not a frame in this graph`;
      console.warn(message);
      this.sync.hints$.next(message);
    }
    await this.fitAll();
  }

  /** Sizes every frame around its members again (after a layout that placed every node itself). */
  async fitAll(): Promise<void> {
    for (const frame of this.frames()) await this.fit(frame.id);
    this.sendBack();
  }

  /**
   * Runs work that places every node itself (undo/redo restoring each recorded move, an automatic
   * layout), so a frame that moves must not carry its members as well.
   */
  async placingEachNode<T>(work: () => Promise<T>): Promise<T> {
    this.holdMembers++;
    try {
      return await work();
    } finally {
      this.holdMembers--;
    }
  }

  /** Puts the nodes (frames excepted) in a new frame drawn around them; returns its id, or null. */
  async frameNodes(ids: readonly string[]): Promise<string | null> {
    const nodes = ids.map((id) => this.editor.getNode(id)).filter((n): n is GraphNodeView => !!n && n.kind !== frameKind);
    if (!nodes.length) {
      this.sync.hints$.next('Select the nodes to frame first');
      return null;
    }
    const frame = this.sync.newView(frameKind);
    if (!frame) {
      this.sync.hints$.next('Frames are not available: no note.frame kind');
      return null;
    }
    const box = this.boxAround(nodes);
    frame.graphNode.ui = { position: [box.x, box.y] };
    frame.width = box.width;
    frame.height = box.height;
    await this.editor.addNode(frame);
    await this.area.translate(frame.id, { x: box.x, y: box.y });
    await this.setFrame(nodes.map((n) => n.id), frame.id);
    return frame.id;
  }

  /** Takes the nodes out of their frames (a no-op for nodes in none). */
  async unframe(ids: readonly string[]): Promise<void> {
    const inFrames = ids.filter((id) => {
      const view = this.editor.getNode(id);
      return view && parentField(view.graphNode) !== undefined;
    });
    if (!inFrames.length) return void this.sync.hints$.next('None of the selected nodes is in a frame');
    await this.setFrame(inFrames, undefined);
  }

  /**
   * Pasted copies keep their frame: a copied frame's new id when it was copied too, the same frame when
   * it is still in the editor, none otherwise. `newIds` maps copied ids to the new ones.
   */
  remapPasted(copies: readonly GraphNode[], newIds: ReadonlyMap<string, string>): void {
    for (const node of copies) {
      const parent = parentField(node);
      if (parent === undefined) continue;
      const next = newIds.get(parent) ?? (this.isFrame(parent) ? parent : undefined);
      withParent(node, next);
    }
  }

  /** Sets the frame of some nodes, undoably, and refits the frames they leave and join. */
  private async setFrame(ids: readonly string[], frameId: string | undefined): Promise<void> {
    const before = new Map(ids.map((id) => [id, parentField(this.editor.getNode(id)!.graphNode)]));
    const apply = async (parentOf: (id: string) => string | undefined) => {
      const touched = new Set<string>();
      for (const id of ids) {
        const view = this.editor.getNode(id);
        if (!view) continue;
        const old = parentField(view.graphNode);
        if (old !== undefined) touched.add(old);
        withParent(view.graphNode, parentOf(id));
        const next = parentField(view.graphNode);
        if (next !== undefined) touched.add(next);
      }
      for (const id of touched) if (this.isFrame(id)) await this.fit(id);
      this.sendBack();
      this.sync.changed();
    };
    await apply(() => frameId);
    this.record(() => apply((id) => before.get(id)), () => apply(() => frameId));
  }

  /** Moves a frame's members with it, or refits the frame a moved member is in. */
  private async onNodeMoved(id: string, dx: number, dy: number): Promise<void> {
    const view = this.editor.getNode(id);
    if (!view) return;
    if (view.kind === frameKind) {
      if (this.holdMembers || (dx === 0 && dy === 0)) return;
      // Selected members of a selected frame are dragged along by the selection already.
      const members = this.members(id).filter((m) => !(view.selected && m.selected));
      this.holdFits++;
      try {
        for (const m of members) {
          const at = this.area.nodeViews.get(m.id)?.position;
          if (at) await this.area.translate(m.id, { x: at.x + dx, y: at.y + dy });
        }
      } finally {
        this.holdFits--;
      }
      return;
    }
    const frame = this.frameOf(view);
    if (frame && !this.holdFits) await this.fit(frame);
  }

  private async onNodeAdded(view: GraphNodeView): Promise<void> {
    if (view.kind === frameKind) {
      await this.fit(view.id);
      this.sendBack();
      return;
    }
    const frame = this.frameOf(view);
    if (frame) await this.fit(frame);
  }

  private async onNodeRemoved(view: GraphNodeView): Promise<void> {
    if (view.kind !== frameKind) {
      const parent = parentField(view.graphNode);
      if (parent !== undefined && this.isFrame(parent)) await this.fit(parent);
      return;
    }
    // Members stay where they are; only their membership goes (and comes back on undo).
    const members = this.editor.getNodes().filter((n) => parentField(n.graphNode) === view.id);
    if (!members.length) return;
    const set = (parent: string | undefined) => async () => {
      for (const m of members) withParent(m.graphNode, parent);
      if (parent !== undefined && this.isFrame(parent)) await this.fit(parent);
      this.sync.changed();
    };
    await set(undefined)();
    this.record(set(view.id), set(undefined));
  }

  /** Sizes a frame around its members (an empty one keeps its size, at least `emptySize`). */
  private async fit(frameId: string): Promise<void> {
    const frame = this.editor.getNode(frameId);
    const frameView = this.area.nodeViews.get(frameId);
    if (!frame || !frameView) return;
    const members = this.members(frameId).filter((m) => this.area.nodeViews.has(m.id));
    const box = members.length
      ? this.boxAround(members)
      : { x: frameView.position.x, y: frameView.position.y, width: Math.max(frame.width, emptySize.width), height: Math.max(frame.height, emptySize.height) };
    if (frame.width !== box.width || frame.height !== box.height) {
      frame.width = box.width;
      frame.height = box.height;
      await this.area.resize(frameId, box.width, box.height);
    }
    if (frameView.position.x !== box.x || frameView.position.y !== box.y) {
      this.holdMembers++;
      try {
        await this.area.translate(frameId, { x: box.x, y: box.y });
      } finally {
        this.holdMembers--;
      }
    }
  }

  /** The frame rectangle around some nodes, padding included. */
  private boxAround(nodes: readonly GraphNodeView[]): { x: number; y: number; width: number; height: number } {
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    for (const n of nodes) {
      const p = this.area.nodeViews.get(n.id)?.position ?? { x: 0, y: 0 };
      left = Math.min(left, p.x);
      top = Math.min(top, p.y);
      right = Math.max(right, p.x + n.width);
      bottom = Math.max(bottom, p.y + n.height);
    }
    const x = Math.round(left - padding.left), y = Math.round(top - padding.top);
    return { x, y, width: Math.round(right + padding.right) - x, height: Math.round(bottom + padding.bottom) - y };
  }

  private frames(): GraphNodeView[] {
    return this.editor.getNodes().filter((n) => n.kind === frameKind);
  }

  /** Puts every frame at the bottom of the canvas, under connections and nodes. */
  private sendBack(): void {
    const content = this.area.area.content;
    for (const frame of this.frames().reverse()) {
      const el = this.area.nodeViews.get(frame.id)?.element;
      if (el && content.holder.contains(el) && content.holder.firstChild !== el) void content.reorder(el, content.holder.firstChild);
    }
  }
}
