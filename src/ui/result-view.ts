import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Observable } from 'rxjs';
import { kindParams, type Catalog, type GraphDoc, type Json } from '../graph';
import type { ImagesResult, NodeResult, PointsResult } from '../../nodes/results';
import type { Run } from '../runtime/types';
import { drawHistogram, drawImages, drawScatter, maxThumbnails, themeColors } from './canvas-draw';
import { drawReconstructions } from './draw-reconstructions';
import { sharedOutput } from './run-outputs';
import { RxController, perFrame } from './rx-controller';
import { errorMessage } from '../lib/error-message';
import { watchTheme } from './theme-watch';

/** An image grid view's largest enlargement (its `scale` param); no limit for other views or a param that fails its check. */
export function imageScale(doc: GraphDoc | null, catalog: Catalog | null, viewNode: string | null): number {
  const node = doc?.nodes.find((n) => n.id === viewNode);
  const spec = node?.kind === 'view.image-grid' ? catalog?.get(node.kind) : undefined;
  const scale = spec ? kindParams(spec.params, node!.params as Record<string, unknown>)?.scale : undefined;
  return typeof scale === 'number' ? scale : Infinity;
}

/** Draws what a metric or inference node gives: latent scatter, image grid, pixel-error histogram, outlier ranking. */
@customElement('lf-result-view')
export class LfResultView extends LitElement {
  @property({ attribute: false }) source: Observable<Json> | null = null;
  @property() heading = '';
  /** For the latent scatter: the run, graph and view node, so a click can decode a point. */
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;
  @property({ attribute: false }) viewNode: string | null = null;
  @query('canvas.main') private canvas?: HTMLCanvasElement;
  @query('canvas.decoded') private decodedCanvas?: HTMLCanvasElement;
  @query('canvas.hover') private hoverCanvas?: HTMLCanvasElement;
  /** What a click on the scatter decoded: one image, or the interpolation strip between two picked samples. */
  @state() decoded: ImagesResult | null = null;
  @state() private note = '';
  @state() private hover: { index: number; x: number; y: number } | null = null;
  /** Scatter points as labels or as their samples' images; null: images when the labels are names (emoji). */
  @state() pointsAs: 'labels' | 'images' | null = null;
  private picked: number[] = [];
  private toPixel: ((x: number, y: number) => [number, number]) | null = null;
  private samples: { run: Run; image: [number, number, number] | null; rows: number[][] } | null = null;
  private result = new RxController<Json>(this);
  /** Redraws on a theme change (the canvas holds the old theme's colours) and on a change of size (else the old bitmap is stretched). */
  private stopWatching: (() => void) | null = null;
  private drawnSize = '';

  static styles = css`
    :host { display: flex; flex-direction: column; min-width: 0; font-size: 11px; }
    .title { color: var(--lf-muted, #888); }
    canvas.main { flex: 1; width: 100%; min-height: 0; }
    .stage { position: relative; flex: 1; display: flex; min-height: 0; }
    canvas.hover { position: absolute; width: 56px; height: 56px; pointer-events: none; border: 1px solid var(--lf-border, #444); background: #000; }
    /* The decoded image and its note take room kept for them from the start: the scatter never changes size. */
    .decode-row { flex: 0 0 44px; display: flex; align-items: center; }
    canvas.decoded { height: 44px; width: 100%; }
    .note { color: var(--lf-muted, #888); }
    .note.line { flex: 0 0 auto; height: 1.4em; line-height: 1.4em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    ol { margin: 0; padding-left: 20px; overflow: auto; }
    .empty { color: var(--lf-muted, #888); }
    button.link { all: unset; cursor: pointer; text-decoration: underline dotted; }
    .held { color: #d29922; }
  `;

  /** The last result drawn (tests read it). */
  get current(): NodeResult | null {
    const v = this.result.value as NodeResult | undefined;
    return v && typeof v === 'object' && 'kind' in v ? v : null;
  }

  connectedCallback(): void {
    super.connectedCallback();
    const stopTheme = watchTheme(() => this.requestUpdate());
    const resize = new ResizeObserver(() => {
      if (`${this.clientWidth}x${this.clientHeight}` !== this.drawnSize) this.requestUpdate();
    });
    resize.observe(this);
    this.stopWatching = () => { stopTheme(); resize.disconnect(); };
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopWatching?.();
    this.stopWatching = null;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') || changed.has('run') || changed.has('viewNode') || changed.has('doc') || changed.has('catalog')) {
      const source = this.ownSource() ?? this.source;
      if (source !== this.observed) this.result.observe(source ? perFrame(source) : null);
      this.observed = source;
    }
  }

  private observed: Observable<Json> | null = null;

  /**
   * A view kind that evaluates its inputs itself (the reconstructions: originals, noisy inputs and
   * reconstructions from one evaluation) draws its own output rather than its first input's.
   */
  private ownSource(): Observable<Json> | null {
    const node = this.viewNode ? this.doc?.nodes.find((n) => n.id === this.viewNode) : undefined;
    const kind = node ? (this.catalog?.get(node.kind) as { evaluate?: unknown } | undefined) : undefined;
    return typeof kind?.evaluate === 'function' ? sharedOutput(this.run, node!.id, '') : null;
  }

  render() {
    const r = this.current;
    const body = !r ? html`<div class="empty">${this.source ? 'waiting for the run…' : 'train to see this view'}</div>`
      : r.kind === 'ranking' ? html`<ol>${r.items.map((it) => html`<li>${it.label ?? `#${it.index}`}: ${it.error.toPrecision(3)}${it.heldOut ? html` <span class="held" title="held out of training (test split)">held out</span>` : nothing}</li>`)}</ol>`
      : r.kind === 'points' ? html`<div class="stage"><canvas class="main" title="Hover: the sample · click: decode that point · shift+click two samples: interpolate"
          @pointermove=${this.onMove} @pointerleave=${() => (this.hover = null)} @click=${this.onClick}></canvas>
          ${this.hover ? html`<canvas class="hover" width="56" height="56" style="left:${this.hover.x + 8}px; top:${Math.max(0, this.hover.y - 60)}px"></canvas>` : nothing}</div>
          <div class="decode-row">${this.decoded ? html`<canvas class="decoded"></canvas>` : html`<div class="note">${this.decoderEdge() ? 'click: decode a point · shift+click two: interpolate' : 'connect a decoder to this view to decode points'}</div>`}</div>
          <div class="note line" title=${this.note}>${this.note}</div>`
      : html`<canvas class="main"></canvas>`;
    const images = r?.kind === 'points' && this.showsImages(r);
    const toggle = r?.kind === 'points' && r.points.length <= maxThumbnails
      ? html` · <button class="link" @click=${() => (this.pointsAs = images ? 'labels' : 'images')}>${images ? 'show labels' : 'show images'}</button>` : nothing;
    return html`<div class="title">${this.heading}${r?.kind === 'points' ? ` · ${r.points.length} points` : nothing}${toggle}</div>${body}`;
  }

  protected updated(): void {
    this.drawnSize = `${this.clientWidth}x${this.clientHeight}`;
    const r = this.current;
    const c = this.canvas;
    if (!r || !c) return;
    const width = Math.max(100, c.clientWidth), height = Math.max(60, c.clientHeight);
    if (c.width !== width) c.width = width;
    if (c.height !== height) c.height = height;
    const g = c.getContext('2d')!;
    const size = { width, height };
    const colors = themeColors(this);
    if (r.kind === 'points') {
      const images = this.showsImages(r);
      if (images && this.samples?.run !== this.run) void this.loadSamples().then(() => this.requestUpdate());
      const thumbs = images && this.samples?.image && this.samples.run === this.run ? { image: this.samples.image, rows: this.samples.rows } : null;
      this.toPixel = drawScatter(g, size, r, colors, thumbs);
    }
    else if (r.kind === 'images') drawImages(g, size, r, colors, imageScale(this.doc, this.catalog, this.viewNode));
    else if (r.kind === 'pixel-errors') drawHistogram(g, size, r, colors);
    else if (r.kind === 'reconstructions') drawReconstructions(g, size, r, colors);
    const d = this.decodedCanvas;
    if (d && this.decoded) {
      d.width = Math.max(100, d.clientWidth); d.height = 44;
      drawImages(d.getContext('2d')!, { width: d.width, height: d.height }, this.decoded, colors);
    }
    const hc = this.hoverCanvas;
    const row = this.hover && this.samples?.rows[this.hover.index];
    if (hc && row) drawImages(hc.getContext('2d')!, { width: 56, height: 56 }, { kind: 'images', image: this.samples!.image, count: 1, pixels: [row] }, colors);
  }

  /** Whether the scatter draws its samples' images (few points; chosen, or labels that are names). */
  private showsImages(r: PointsResult): boolean {
    if (r.points.length > maxThumbnails || !this.run) return false;
    if (this.pointsAs) return this.pointsAs === 'images';
    return !r.labels || r.labels.every((l) => l.length > 2);
  }

  /** The nearest point within 8 px of a canvas position, or -1. */
  private hit(r: PointsResult, px: number, py: number): number {
    if (!this.toPixel) return -1;
    let best = -1, bestD = 64;
    r.points.forEach((p, i) => {
      const [x, y] = this.toPixel!(p[0]!, p[1]!);
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    return best;
  }

  /** Canvas pixels back to latent coordinates (the scatter's scale is linear in each axis). */
  private toData(px: number, py: number): [number, number] | null {
    if (!this.toPixel) return null;
    const [x0, y0] = this.toPixel(0, 0), [x1, y1] = this.toPixel(1, 1);
    if (x1 === x0 || y1 === y0) return null;
    return [(px - x0) / (x1 - x0), (py - y0) / (y1 - y0)];
  }

  private onMove = async (e: PointerEvent) => {
    const r = this.current;
    if (r?.kind !== 'points') return;
    const i = this.hit(r, e.offsetX, e.offsetY);
    if (i < 0) { this.hover = null; return; }
    await this.loadSamples();
    this.hover = this.samples?.rows[i] ? { index: i, x: e.offsetX, y: e.offsetY } : null;
  };

  /** The dataset's first rows (as the dataset node gives them), to show a hovered sample. */
  private async loadSamples(): Promise<void> {
    const run = this.run;
    if (!run || this.samples?.run === run || !this.doc || !this.catalog) return;
    // Known from here on for this run, even when there is nothing to show: updated() asks again only for another run
    // (a graph without a dataset node asked at every update, and each answer scheduled another: the page hung).
    this.samples = { run, image: null, rows: [] };
    const data = this.doc.nodes.find((n) => this.catalog!.get(n.kind)?.category === 'dataset');
    if (!data) return;
    try {
      const b = (await run.evaluate(data.id, 'x')) as { image: [number, number, number] | null; rows: number[][] };
      this.samples = { run, image: b.image, rows: b.rows };
    } catch {
      // no images to show on hover; the scatter still works
    }
  }

  private onClick = (e: MouseEvent) => {
    const r = this.current;
    if (r?.kind !== 'points') return;
    if (e.shiftKey) {
      const i = this.hit(r, e.offsetX, e.offsetY);
      if (i < 0) return;
      this.picked = [...this.picked, i].slice(-2);
      if (this.picked.length < 2) { this.note = `picked ${r.labels?.[i] ?? `#${i}`}: shift+click a second sample`; return; }
      const [a, b] = this.picked.map((k) => r.raw?.[k] ?? r.points[k]!) as [number[], number[]];
      const steps = 8;
      void this.decode(Array.from({ length: steps }, (_, t) => a.map((v, d) => v + ((b[d]! - v) * t) / (steps - 1))),
        `${r.labels?.[this.picked[0]!] ?? this.picked[0]} → ${r.labels?.[this.picked[1]!] ?? this.picked[1]}`);
      return;
    }
    const z = this.toData(e.offsetX, e.offsetY);
    if (!z) return;
    if (r.projection === 'pca' || r.dims !== 2) { this.note = 'decoding a clicked point needs a 2-D code (this one is projected)'; return; }
    void this.decode([z], `decoded (${z[0].toFixed(2)}, ${z[1].toFixed(2)})`);
  };

  /** The edge that brings this view a decoder, if one does. */
  private decoderEdge() {
    return this.doc?.edges.find((e) => e.to.node === this.viewNode && e.to.socket === 'decoder');
  }

  /** Decodes codes with the run's current decoder weights, in the run's Worker. */
  async decode(codes: number[][], note: string): Promise<void> {
    const edge = this.decoderEdge();
    if (!this.run || !edge) { this.note = 'connect a decoder to this view to decode points'; return; }
    try {
      this.decoded = (await this.run.decode(edge.from.node, codes)) as ImagesResult;
      this.note = note;
    } catch (err) {
      this.note = `could not decode: ${errorMessage(err)}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-result-view': LfResultView }
}
