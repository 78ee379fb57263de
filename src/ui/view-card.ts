import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sourceTitle, viewTitle, type Catalog, type GraphDoc } from '../graph';
import type { Run } from '../runtime/types';
import { sharedOutput } from './run-outputs';
import { drawHistogram, drawImages, drawScatter, themeColors, type Thumbnails } from './canvas-draw';
import { LfLossCurve } from './loss-curve';
import { LfResultView, imageScale } from './result-view';
import { exportCanvas, exportScale } from './png-export';

/**
 * The live content of one view node: its loss curve, or what the node its input is connected to
 * gives (scatter, images, histogram, ranking). The docked panel and the node's own preview both draw it.
 */
@customElement('lf-view-card')
export class LfViewCard extends LitElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;
  @property({ attribute: false }) viewNode: string | null = null;

  // No shadow root: the drawing elements stay reachable from the container (the panel's
  // `[data-view=id] lf-result-view` lookups and PNG export), and their own shadow roots style them.
  protected createRenderRoot(): HTMLElement {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.style.display = 'flex';
    this.style.flexDirection = 'column';
    this.style.minWidth = '0';
    this.style.minHeight = '0';
  }

  render() {
    const v = this.doc?.nodes.find((n) => n.id === this.viewNode);
    if (!v) return html`<div style="color: var(--lf-muted, #888)">no view node "${this.viewNode ?? ''}"</div>`;
    const fill = 'flex: 1; min-height: 0;';
    if (v.kind === 'view.loss-curve') return html`<lf-loss-curve style=${fill} .run=${this.run} .log=${v.params.logScale !== false}></lf-loss-curve>`;
    const edge = this.doc!.edges.find((e) => e.to.node === v.id && e.to.socket !== 'decoder');
    return html`<lf-result-view style=${fill} .heading=${edge ? this.heading(v.id) : 'not connected'}
      .source=${edge ? sharedOutput(this.run, edge.from.node, edge.from.socket) : null}
      .run=${this.run} .doc=${this.doc} .catalog=${this.catalog} .viewNode=${v.id}></lf-result-view>`;
  }

  /** What feeds the view, when its title does not say it already ("Encode all" under "Latent scatter"). */
  private heading(viewId: string): string {
    const from = sourceTitle(this.doc, this.catalog, viewId);
    return from && from !== viewTitle(this.doc, this.catalog, viewId) ? from : '';
  }

  /**
   * The view drawn for a PNG: `scale` times its size on screen, on the theme's background, titled;
   * null when it draws nothing (not trained yet).
   */
  async snapshot(scale = exportScale, title = ''): Promise<HTMLCanvasElement | null> {
    const holder = this.firstElementChild;
    if (holder instanceof LfLossCurve) return holder.snapshot(scale, title);
    if (!(holder instanceof LfResultView)) return null;
    const r = holder.current;
    if (!r) return null;
    const main = holder.shadowRoot?.querySelector<HTMLCanvasElement>('canvas.main');
    const size = { width: Math.max(200, main?.clientWidth || holder.clientWidth), height: Math.max(120, main?.clientHeight || holder.clientHeight - 20) };
    const colors = themeColors(this);
    if (r.kind === 'points') {
      // Drawn as on screen: the samples' images when the view shows them (its toggle then offers labels).
      const images = holder.shadowRoot?.querySelector('button.link')?.textContent === 'show labels';
      const thumbs = images ? await this.samples() : null;
      return exportCanvas(size, colors, title, (g, s) => drawScatter(g, s, r, colors, thumbs));
    }
    if (r.kind === 'images') return exportCanvas(size, colors, title, (g, s) => drawImages(g, s, r, colors, imageScale(this.doc, this.catalog, this.viewNode)));
    if (r.kind === 'pixel-errors') return exportCanvas(size, colors, title, (g, s) => drawHistogram(g, s, r, colors));
    if (r.kind === 'ranking') {
      const height = Math.max(size.height, 16 * r.items.length + 12);
      return exportCanvas({ ...size, height }, colors, title, (g) => {
        g.font = '12px sans-serif';
        r.items.forEach((it, i) => {
          g.fillStyle = it.heldOut ? '#d29922' : colors.fg;
          g.fillText(`${i + 1}. ${it.label ?? `#${it.index}`}: ${it.error.toPrecision(3)}${it.heldOut ? ' (held out)' : ''}`, 8, 16 + 16 * i);
        });
      });
    }
    return null;
  }

  /** The dataset's samples, to draw scatter points as their images. */
  private async samples(): Promise<Thumbnails | null> {
    const data = this.doc?.nodes.find((n) => this.catalog?.get(n.kind)?.category === 'dataset');
    if (!this.run || !data) return null;
    const b = (await this.run.evaluate(data.id, 'x').catch(() => null)) as { image: Thumbnails['image'] | null; rows: number[][] } | null;
    return b?.image ? { image: b.image, rows: b.rows } : null;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-view-card': LfViewCard }
}
