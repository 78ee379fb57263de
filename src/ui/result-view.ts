import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { Observable } from 'rxjs';
import type { Json } from '../graph';
import type { NodeResult } from '../../nodes/results';
import { drawHistogram, drawImages, drawScatter, themeColors } from './canvas-draw';
import { RxController, perFrame } from './rx-controller';

/** Draws what a metric or inference node gives: latent scatter, image grid, pixel-error histogram, outlier ranking. */
@customElement('lf-result-view')
export class LfResultView extends LitElement {
  @property({ attribute: false }) source: Observable<Json> | null = null;
  @property() heading = '';
  @query('canvas') private canvas?: HTMLCanvasElement;
  private result = new RxController<Json>(this);

  static styles = css`
    :host { display: flex; flex-direction: column; min-width: 0; font-size: 11px; }
    .title { color: var(--lf-muted, #888); }
    canvas { flex: 1; width: 100%; min-height: 0; }
    ol { margin: 0; padding-left: 20px; overflow: auto; }
    .empty { color: var(--lf-muted, #888); }
  `;

  /** The last result drawn (tests read it). */
  get current(): NodeResult | null {
    const v = this.result.value as NodeResult | undefined;
    return v && typeof v === 'object' && 'kind' in v ? v : null;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source')) this.result.observe(this.source ? perFrame(this.source) : null);
  }

  render() {
    const r = this.current;
    const body = !r ? html`<div class="empty">${this.source ? 'waiting for the run…' : 'train to see this view'}</div>`
      : r.kind === 'ranking' ? html`<ol>${r.items.map((it) => html`<li>${it.label ?? `#${it.index}`}: ${it.error.toPrecision(3)}</li>`)}</ol>`
      : html`<canvas></canvas>`;
    return html`<div class="title">${this.heading}${r?.kind === 'points' ? ` · ${r.points.length} points` : nothing}</div>${body}`;
  }

  protected updated(): void {
    const r = this.current;
    const c = this.canvas;
    if (!r || !c) return;
    const width = Math.max(100, c.clientWidth), height = Math.max(60, c.clientHeight);
    if (c.width !== width) c.width = width;
    if (c.height !== height) c.height = height;
    const g = c.getContext('2d')!;
    const size = { width, height };
    const colors = themeColors(this);
    if (r.kind === 'points') drawScatter(g, size, r, colors);
    else if (r.kind === 'images') drawImages(g, size, r, colors);
    else if (r.kind === 'pixel-errors') drawHistogram(g, size, r, colors);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-result-view': LfResultView }
}
