import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import uPlot from 'uplot';
import type { Subscription } from 'rxjs';
import { copyHistory, emptySeries } from '../runtime/history';
import type { MetricsBatch, Run } from '../runtime/types';
import { drawCurves, lineLook, themeColors } from './canvas-draw';
import { exportCanvas, exportScale } from './png-export';
import { curveData, type CurveSeries } from './curve-data';
import { watchTheme } from './theme-watch';

/**
 * The loss per term over training steps, with the test loss (dashed) when the trainer holds samples
 * out; drawn with uPlot at most once per animation frame. Hover reads values; a legend click hides a line.
 */
@customElement('lf-loss-curve')
export class LfLossCurve extends LitElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ type: Boolean }) log = true;
  /** Loss node ids to names shown in the legend. */
  @property({ attribute: false }) termNames: Record<string, string> = {};
  @query('.plot') private plotHost!: HTMLDivElement;
  private history: MetricsBatch = emptySeries();
  private subscription: Subscription | null = null;
  private plot: uPlot | null = null;
  /** Series names of the plot as built; a new name (a test series appears) rebuilds it. */
  private plotKey = '';
  private frame = 0;
  private resize: ResizeObserver | null = null;
  private stopTheme: (() => void) | null = null;

  static styles = css`
    :host { display: flex; flex-direction: column; min-width: 0; min-height: 0; font-size: 11px; }
    .bar { display: flex; gap: 8px; align-items: center; color: var(--lf-muted, #888); }
    .plot { flex: 1; min-height: 60px; position: relative; overflow: hidden; }
    .empty { position: absolute; inset: 40% 0 auto 0; text-align: center; color: var(--lf-muted, #888); pointer-events: none; }
    /* The parts of uPlot's layout the chart needs, in our theme (its stylesheet cannot reach a shadow root). */
    .uplot { font-family: inherit; line-height: 1.4; }
    .u-wrap { position: relative; user-select: none; }
    .u-over, .u-under, .u-axis, .u-select, .u-cursor-x, .u-cursor-y, .u-cursor-pt { position: absolute; }
    .u-under { overflow: hidden; }
    .uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
    .u-select { background: #8882; pointer-events: none; }
    .u-cursor-x, .u-cursor-y, .u-cursor-pt { left: 0; top: 0; pointer-events: none; will-change: transform; }
    .u-hz .u-cursor-x { height: 100%; border-right: 1px dashed var(--lf-muted, #888); }
    .u-hz .u-cursor-y { width: 100%; border-bottom: 1px dashed var(--lf-muted, #888); }
    .u-cursor-pt { border-radius: 50%; border: 0 solid; background-clip: padding-box !important; }
    .u-off { display: none; }
    .u-legend { margin: 0; font-size: 11px; color: var(--lf-fg, #ccc); }
    .u-legend.u-inline tr { display: inline-flex; align-items: center; margin-right: 10px; }
    .u-legend th { font-weight: 500; cursor: pointer; display: inline-flex; align-items: center; gap: 3px; }
    .u-legend td { padding-left: 3px; font-variant-numeric: tabular-nums; }
    .u-legend .u-marker { display: inline-block; width: 14px; height: 0; }
    .u-legend tr.u-off { display: inline-flex; opacity: 0.35; }
    .u-inline:not(.u-live) .u-value { display: none; }
  `;

  /** Points drawn so far (the training loss). */
  get pointCount(): number {
    return this.history.steps.length;
  }

  /** The series the chart shows (names, and whether they are test losses), for tests and PNGs. */
  get seriesNames(): string[] {
    return this.plot ? this.plot.series.slice(1).map((s) => String(s.label)) : [];
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('run')) this.follow();
    if (changed.has('log')) this.plotKey = '';
  }

  /** Starts from the run's history so far, then appends every batch (none dropped when several arrive within a frame). */
  private follow(): void {
    this.subscription?.unsubscribe();
    this.history = this.run ? copyHistory(this.run.history()) : emptySeries();
    this.subscription = this.run?.metrics$.subscribe((b) => { this.appendBatch(b); this.scheduleDraw(); }) ?? null;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.resize = new ResizeObserver(() => this.fitPlot());
    // uPlot takes the theme's colours when the plot is built: a new theme builds it again.
    this.stopTheme = watchTheme(() => { this.plotKey = ''; this.requestUpdate(); });
    if (this.hasUpdated) {
      this.resize.observe(this.plotHost);
      this.follow();
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.resize?.disconnect();
    this.stopTheme?.();
    this.stopTheme = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  render() {
    const last = this.history.total.at(-1);
    const lastTest = this.history.test?.total.at(-1);
    return html`<div class="bar"><span>loss</span>
      <label title="Logarithmic loss axis"><input type="checkbox" .checked=${this.log} @change=${(e: Event) => (this.log = (e.target as HTMLInputElement).checked)} /> log scale</label>
      <span>${last !== undefined ? `last ${last.toPrecision(4)}` : ''}${lastTest !== undefined ? ` · test ${lastTest.toPrecision(4)}` : ''}</span></div>
      <div class="plot">${this.history.steps.length ? '' : html`<div class="empty">no data yet: train to see the loss</div>`}</div>`;
  }

  protected firstUpdated(): void {
    this.resize?.observe(this.plotHost);
  }

  protected updated(): void {
    this.draw();
  }

  private scheduleDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.requestUpdate();
    });
  }

  private draw(): void {
    if (!this.history.steps.length) {
      this.plot?.destroy();
      this.plot = null;
      this.plotKey = '';
      return;
    }
    const { x, series } = curveData(this.history, this.termNames, this.log);
    const key = `${this.log}|${series.map((s) => s.name).join('|')}`;
    if (key !== this.plotKey || !this.plot) this.build(series, key);
    this.plot!.setData([x, ...series.map((s) => s.values)]);
  }

  private build(series: CurveSeries[], key: string): void {
    this.plot?.destroy();
    const c = themeColors(this);
    const axis = { stroke: c.muted, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, font: '10px sans-serif', size: 36 };
    const { width, height } = this.plotSize();
    this.plot = new uPlot({
      width, height,
      padding: [6, 8, 0, 0],
      scales: { x: { time: false }, y: this.log ? { distr: 3 } : {} },
      axes: [
        { ...axis, label: undefined, size: 24 },
        { ...axis, size: 46, values: (_u, ticks) => ticks.map((t) => formatTick(t)), ...(this.log ? { filter: logFilter, grid: { ...axis.grid, filter: logFilter }, ticks: { ...axis.ticks, filter: logFilter } } : {}) },
      ],
      // A legend marker is a bar as thick as its line (a box of no height: two borders) and dashed as it is.
      legend: { live: true, markers: { width: (u, i) => Math.max(1, (u.series[i]!.width ?? 2) / 2), dash: (u, i) => (u.series[i]!.dash?.length ? 'dashed' : 'solid') } },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: 'step' },
        ...series.map((s) => ({
          label: s.name, ...lineLook(s), spanGaps: s.test, points: { show: s.test && s.sparse },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toPrecision(4)),
        })),
      ],
    }, [[]], this.plotHost);
    this.plotKey = key;
    // The legend's real height is known now (it wraps onto more lines when there are many series).
    this.fitPlot();
  }

  private plotSize(): { width: number; height: number } {
    const legend = this.plot?.root.querySelector('.u-legend') as HTMLElement | null;
    return {
      width: Math.max(120, this.plotHost.clientWidth),
      height: Math.max(60, this.plotHost.clientHeight - (legend?.offsetHeight ?? 22)),
    };
  }

  private fitPlot(): void {
    if (this.plot) this.plot.setSize(this.plotSize());
  }

  /** The chart with its legend, redrawn for a PNG at `scale` times its size on screen, on the theme's background. */
  snapshot(scale = exportScale, title = ''): HTMLCanvasElement {
    const size = { width: Math.max(200, this.plotHost?.clientWidth ?? 0), height: Math.max(140, this.plotHost?.clientHeight ?? 0) };
    const c = themeColors(this);
    const lines = curveData(this.history, this.termNames, this.log);
    return exportCanvas(size, c, title, (g, s) => drawCurves(g, s, lines, this.log, c), scale);
  }

  private appendBatch(b: MetricsBatch): void {
    // metrics$ may replay what history() already holds; keep steps increasing.
    appendNew(this.history, b);
    if (b.test) appendNew((this.history.test ??= emptySeries()), b.test);
  }
}

function appendNew(into: { steps: number[]; epochs: number[]; total: number[]; terms: Record<string, number[]> }, b: MetricsBatch | NonNullable<MetricsBatch['test']>): void {
  const last = into.steps.at(-1) ?? -Infinity;
  b.steps.forEach((step, i) => {
    if (step <= last) return;
    into.steps.push(step);
    into.epochs.push(b.epochs[i]!);
    into.total.push(b.total[i]!);
    for (const [id, values] of Object.entries(b.terms)) (into.terms[id] ??= []).push(values[i]!);
  });
}

const logFilter = (_u: uPlot, splits: number[]) => decades(splits);

/**
 * On a log axis, only the powers of ten get a tick, a label and a grid line (uPlot marks 2..9 of
 * every decade too, a dense grid in a small chart) — unless fewer than two are in view.
 */
function decades(splits: number[]): (number | null)[] {
  const isDecade = (v: number) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  return splits.filter(isDecade).length >= 2 ? splits.map((v) => (isDecade(v) ? v : null)) : splits;
}

/** An axis label; uPlot passes null for the ticks a log axis leaves unlabelled. */
function formatTick(t: number | null): string {
  if (t === null) return '';
  if (t === 0) return '0';
  const a = Math.abs(t);
  return a >= 1e4 || a < 1e-3 ? t.toExponential(0) : String(Number(t.toPrecision(3)));
}

declare global {
  interface HTMLElementTagNameMap { 'lf-loss-curve': LfLossCurve }
}
