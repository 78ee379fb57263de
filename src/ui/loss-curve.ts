import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { MetricsBatch, Run } from '../runtime/types';
import { drawCurves, themeColors } from './canvas-draw';
import { RxController, perFrame } from './rx-controller';

/** The loss per term over training steps, drawn at most once per animation frame; log scale toggle. */
@customElement('lf-loss-curve')
export class LfLossCurve extends LitElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ type: Boolean }) log = true;
  /** Loss node ids to names shown in the legend. */
  @property({ attribute: false }) termNames: Record<string, string> = {};
  @query('canvas') private canvas!: HTMLCanvasElement;
  private history: MetricsBatch = { steps: [], epochs: [], total: [], terms: {} };
  private metrics = new RxController<MetricsBatch>(this, (b) => this.appendBatch(b));

  static styles = css`
    :host { display: flex; flex-direction: column; min-width: 0; font-size: 11px; }
    .bar { display: flex; gap: 8px; align-items: center; color: var(--lf-muted, #888); }
    canvas { flex: 1; width: 100%; min-height: 0; }
  `;

  /** Points drawn so far (the total loss). */
  get pointCount(): number {
    return this.history.steps.length;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('run')) {
      this.history = this.run ? cloneHistory(this.run.history()) : { steps: [], epochs: [], total: [], terms: {} };
      this.metrics.observe(this.run ? perFrame(this.run.metrics$) : null);
    }
  }

  render() {
    return html`<div class="bar"><span>loss</span>
      <label><input type="checkbox" .checked=${this.log} @change=${(e: Event) => (this.log = (e.target as HTMLInputElement).checked)} /> log scale</label>
      <span>${this.history.steps.length ? `last ${this.history.total[this.history.total.length - 1]!.toPrecision(4)}` : ''}</span></div>
      <canvas></canvas>`;
  }

  protected updated(): void {
    const c = this.canvas;
    const width = Math.max(100, c.clientWidth), height = Math.max(60, c.clientHeight);
    if (c.width !== width) c.width = width;
    if (c.height !== height) c.height = height;
    const series = [{ name: 'total', values: this.history.total }];
    const terms = Object.entries(this.history.terms);
    if (terms.length > 1) for (const [id, values] of terms) series.push({ name: this.termNames[id] ?? id, values });
    drawCurves(c.getContext('2d')!, { width, height }, this.history.steps, series, this.log, themeColors(this));
  }

  private appendBatch(b: MetricsBatch): void {
    // metrics$ may replay what history() already holds; keep steps increasing.
    const last = this.history.steps[this.history.steps.length - 1] ?? -Infinity;
    b.steps.forEach((step, i) => {
      if (step <= last) return;
      this.history.steps.push(step);
      this.history.epochs.push(b.epochs[i]!);
      this.history.total.push(b.total[i]!);
      for (const [id, values] of Object.entries(b.terms)) (this.history.terms[id] ??= []).push(values[i]!);
    });
  }
}

function cloneHistory(h: MetricsBatch): MetricsBatch {
  return { steps: [...h.steps], epochs: [...h.epochs], total: [...h.total], terms: Object.fromEntries(Object.entries(h.terms).map(([k, v]) => [k, [...v]])) };
}

declare global {
  interface HTMLElementTagNameMap { 'lf-loss-curve': LfLossCurve }
}
