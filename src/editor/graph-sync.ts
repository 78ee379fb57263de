import { Subject } from 'rxjs';
import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import {
  canConnect, checkParam, defaultParams, kindLabel, graphFormat, currentVersion, namedBySource, sourceTitle,
  type Catalog, type Endpoint, type GraphDoc, type GraphEdge, type GraphNode, type ParamIssue,
} from '../graph';
import { GraphEdgeView, GraphNodeView, type Schemes } from './schemes';

/** A fresh, empty document. */
export function emptyDoc(title = 'Untitled graph'): GraphDoc {
  return { format: graphFormat, version: currentVersion, meta: { title, created: new Date().toISOString() }, nodes: [], edges: [] } as GraphDoc;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * The one adapter between a GraphDoc and the Rete editor. Node and edge ids are the same on both
 * sides; every editor change (from the API, the mouse, the context menu or undo) goes through the
 * editor's pipes here, updates the document and emits `docChanged$`.
 */
export class GraphSync {
  readonly docChanged$ = new Subject<GraphDoc>();
  readonly hints$ = new Subject<string>();
  private doc: GraphDoc = emptyDoc();
  /** Original edge objects by id, so fields we do not know survive a round trip. */
  private edgeData = new Map<string, GraphEdge>();
  private knownEdgeIds = new Set<string>();
  private loading = false;

  constructor(
    private readonly editor: NodeEditor<Schemes>,
    private readonly area: AreaPlugin<Schemes, any>,
    private readonly catalog: Catalog,
  ) {
    editor.addPipe((ctx) => {
      if (ctx.type === 'connectioncreate') return this.loading ? ctx : this.checkConnection(ctx.data) ? ctx : undefined;
      if (this.loading) return ctx;
      if (ctx.type === 'nodecreated') this.onNodeAdded(ctx.data);
      else if (ctx.type === 'noderemoved') this.onNodeRemoved(ctx.data);
      else if (ctx.type === 'connectioncreated') this.onEdgeAdded(ctx.data);
      else if (ctx.type === 'connectionremoved') this.onEdgeRemoved(ctx.data);
      return ctx;
    });
    area.addPipe((ctx) => {
      if (ctx.type === 'nodetranslated' && !this.loading) {
        const view = editor.getNode(ctx.data.id);
        if (view) {
          view.graphNode.ui = { ...(view.graphNode.ui ?? {}), position: [Math.round(ctx.data.position.x), Math.round(ctx.data.position.y)] };
          this.changed();
        }
      }
      return ctx;
    });
  }

  /** A copy of the current document. */
  getDoc(): GraphDoc {
    return clone(this.doc);
  }

  /** Replaces the editor's content with a document; every node and edge keeps its id. */
  async loadDoc(input: GraphDoc): Promise<void> {
    const doc = clone(input);
    this.loading = true;
    try {
      await this.editor.clear();
      this.doc = doc;
      this.edgeData.clear();
      this.knownEdgeIds.clear();
      const byId = new Map<string, GraphNodeView>();
      // Added together rather than one after another: each addition waits for its render, and a
      // 200-node graph took ~3 s one by one.
      await Promise.all(doc.nodes.map(async (node) => {
        if (byId.has(node.id)) return;
        const view = this.makeView(node, doc.edges);
        byId.set(node.id, view);
        await this.editor.addNode(view);
        const [x, y] = node.ui?.position ?? [0, 0];
        await this.area.translate(view.id, { x, y });
      }));
      await Promise.all(doc.edges.map(async (edge) => {
        this.knownEdgeIds.add(edge.id);
        this.edgeData.set(edge.id, edge);
        const from = byId.get(edge.from.node);
        const to = byId.get(edge.to.node);
        if (!from || !to || !from.outputs[edge.from.socket] || !to.inputs[edge.to.socket]) return; // a Problem, shown elsewhere
        if (this.editor.getConnection(edge.id)) return;
        const conn = new GraphEdgeView(from, edge.from.socket, to, edge.to.socket);
        conn.id = edge.id;
        await this.editor.addConnection(conn);
      }));
    } finally {
      this.loading = false;
    }
    this.changed();
  }

  /** Makes an editor node for a new node of a kind (not yet added). */
  newView(kind: string, id?: string): GraphNodeView | null {
    const spec = this.catalog.get(kind);
    if (!spec) return null;
    const node: GraphNode = { id: id ?? this.freshNodeId(kind), kind, kindVersion: spec.version, params: defaultParams(spec.params), ui: { position: [0, 0] } };
    return new GraphNodeView(node, spec);
  }

  /** Makes an editor node for a copy of a document node under a new id. */
  copyView(node: GraphNode, usedIds: Set<string>): GraphNodeView {
    const id = this.freshNodeId(node.kind, usedIds);
    usedIds.add(id);
    return this.makeView({ ...clone(node), id }, []);
  }

  /** A node id not used yet, from the kind's family (`encoder`, `encoder2`, ...). */
  freshNodeId(kind: string, alsoTaken: Set<string> = new Set()): string {
    const base = kind.split('.')[0]!.replace(/[^A-Za-z0-9_]/g, '') || 'node';
    const taken = (id: string) => alsoTaken.has(id) || this.doc.nodes.some((n) => n.id === id) || !!this.editor.getNode(id);
    if (!taken(base)) return base;
    for (let i = 2; ; i++) if (!taken(`${base}${i}`)) return `${base}${i}`;
  }

  /** An edge id not used yet (`e1`, `e2`, ...). */
  freshEdgeId(): string {
    let n = 0;
    for (const id of this.knownEdgeIds) {
      const m = /^e(\d+)$/.exec(id);
      if (m) n = Math.max(n, Number(m[1]));
    }
    for (const e of this.doc.edges) {
      const m = /^e(\d+)$/.exec(e.id);
      if (m) n = Math.max(n, Number(m[1]));
    }
    return `e${n + 1}`;
  }

  /** Connects two sockets; returns the edge id, or null when refused (a hint says why). */
  async connect(from: Endpoint, to: Endpoint, id = this.freshEdgeId()): Promise<string | null> {
    const a = this.editor.getNode(from.node);
    const b = this.editor.getNode(to.node);
    if (!a || !b) {
      this.hints$.next(`No node "${!a ? from.node : to.node}" in the graph`);
      return null;
    }
    const conn = new GraphEdgeView(a, from.socket, b, to.socket);
    conn.id = id;
    const ok = await this.editor.addConnection(conn);
    return ok ? id : null;
  }

  /** Sets a param after checking it against its spec; invalid values are refused (issues returned). */
  setParam(nodeId: string, name: string, value: unknown, record?: (undo: () => void, redo: () => void) => void): ParamIssue[] {
    const view = this.editor.getNode(nodeId);
    const spec = view?.spec?.params[name];
    if (!view || !spec) return [{ message: `no param "${name}" on node "${nodeId}"` }];
    const issues = checkParam(spec, value);
    if (issues.length) return issues;
    const before = view.graphNode.params[name];
    const apply = (v: unknown) => {
      view.graphNode.params = { ...view.graphNode.params, [name]: clone(v) };
      // A kind whose look follows its params (a comment's title, a frame's title and colour, a summary) is redrawn.
      const label = view.spec && kindLabel(view.spec, view.graphNode.params);
      if (label !== undefined) view.label = label;
      if (view.kind === 'note.comment') {
        view.fitComment();
        void this.area.resize(view.id, view.width, view.height);
      }
      if (label !== undefined || view.spec?.summary) void this.area.update('node', view.id);
      this.changed();
    };
    apply(value);
    record?.(() => apply(before), () => apply(value));
    return [];
  }

  /** Writes on each view named after what feeds it (an image grid) that node's title, redrawing it when it changed. */
  private showSources(): void {
    for (const node of this.doc.nodes) {
      if (!namedBySource.has(node.kind)) continue;
      const view = this.editor.getNode(node.id);
      const source = sourceTitle(this.doc, this.catalog, node.id);
      if (!view || view.source === source) continue;
      view.source = source;
      void this.area.update('node', view.id);
    }
  }

  /** Emits the current document. */
  changed(): void {
    if (this.loading) return;
    this.showSources();
    this.docChanged$.next(this.getDoc());
  }

  private makeView(node: GraphNode, edges: readonly GraphEdge[]): GraphNodeView {
    const spec = this.catalog.get(node.kind);
    if (spec) return new GraphNodeView(node, spec);
    // A placeholder for an unknown kind: sockets from the edges that use it, so they stay visible.
    const inputs = [...new Set(edges.filter((e) => e.to.node === node.id).map((e) => e.to.socket))];
    const outputs = [...new Set(edges.filter((e) => e.from.node === node.id).map((e) => e.from.socket))];
    return new GraphNodeView(node, undefined, { inputs, outputs });
  }

  private checkConnection(data: Schemes['Connection']): boolean {
    const refused = this.refusal(data);
    if (refused !== null) {
      if (refused) this.hints$.next(refused);
      return false;
    }
    if (!this.knownEdgeIds.has(data.id)) data.id = this.freshEdgeId(); // readable ids for edges drawn by hand
    return true;
  }

  /**
   * Why an edge between these sockets is refused (a hint for the user; '' when there is nothing to
   * say), or null when it may be made. Asked before a mouse drop too, so that a refused drop never
   * takes the old edge off an input that holds one.
   */
  refusal(data: Pick<Schemes['Connection'], 'source' | 'sourceOutput' | 'target' | 'targetInput'>): string | null {
    const from = this.editor.getNode(data.source);
    const to = this.editor.getNode(data.target);
    if (!from || !to) return '';
    if (from.id === to.id) return 'A node cannot feed itself';
    const out = from.outputs[data.sourceOutput]?.socket;
    const input = to.inputs[data.targetInput];
    if (!out || !input?.socket) return `No socket "${!out ? data.sourceOutput : data.targetInput}" there`;
    const ft = out.type, tt = input.socket.type;
    // Named as the canvas shows them (titles and socket labels), with the ids a file uses in brackets.
    const fromName = `${from.label}'s "${from.outputs[data.sourceOutput]?.label ?? data.sourceOutput}" output [${from.id}.${data.sourceOutput}]`;
    const toName = `${to.label}'s "${(input.label ?? data.targetInput).replace(/\?$/, '')}" input [${to.id}.${data.targetInput}]`;
    if (ft !== 'unknown' && tt !== 'unknown' && !canConnect(ft, tt)) {
      return `Cannot connect ${fromName} to ${toName}: it gives ${ft} and a ${tt} input needs a ${tt === 'batch' ? 'batch or dataset' : tt} output`;
    }
    const existing = this.editor.getConnections().filter((c) => c.target === to.id && c.targetInput === data.targetInput);
    if (existing.some((c) => c.source === from.id && c.sourceOutput === data.sourceOutput)) return 'These sockets are connected already';
    if (!input.multipleConnections && existing.length > 0) return `${toName} takes one wire and has one: drag the old wire off that input first`;
    return null;
  }

  private onNodeAdded(view: GraphNodeView): void {
    if (!this.doc.nodes.includes(view.graphNode)) {
      this.doc.nodes = this.doc.nodes.filter((n) => n.id !== view.id);
      this.doc.nodes.push(view.graphNode);
    }
    this.changed();
  }

  private onNodeRemoved(view: GraphNodeView): void {
    this.doc.nodes = this.doc.nodes.filter((n) => n !== view.graphNode && n.id !== view.id);
    this.changed();
  }

  private onEdgeAdded(c: Schemes['Connection']): void {
    this.knownEdgeIds.add(c.id);
    const edge: GraphEdge = { ...(this.edgeData.get(c.id) ?? {}), id: c.id, from: { node: c.source, socket: c.sourceOutput }, to: { node: c.target, socket: c.targetInput } };
    this.edgeData.set(c.id, edge);
    this.doc.edges = [...this.doc.edges.filter((e) => e.id !== c.id), edge];
    this.changed();
  }

  private onEdgeRemoved(c: Schemes['Connection']): void {
    this.doc.edges = this.doc.edges.filter((e) => e.id !== c.id);
    this.changed();
  }
}
