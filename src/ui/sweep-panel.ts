import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { saveGraph, type Catalog, type GraphDoc, type TypedCatalog } from '../graph';
import type { NodeKind } from '../../nodes/define';
import { compareSeeds, summarizeSeeds, type SeedRun, type SeedStat } from '../runtime/seeds';
import { label, parseSweep, sweepCombinations, sweptPlan, type Sweep } from '../runtime/sweep';
import type { LossSeries, Run } from '../runtime/types';
import { errorMessage } from '../lib/error-message';
import { drawAxes, palette, themeColors, type Colors } from './canvas-draw';
import { columnsOf, format, statName } from './seed-columns';
import { watchTheme } from './theme-watch';

/** Makes a run of a graph text with a seed (in the Worker), or says why it cannot. */
export type SweepRunFactory = (graphText: string, seed: number) => Promise<Run | string>;

/** One swept value (or pair of values): its runs, their loss curves and mean ± std. */
export interface SweepGroup {
  label: string;
  runs: SeedRun[];
  curves: { train: LossSeries; test?: LossSeries }[];
  stats: Record<string, SeedStat>;
}

/**
 * Sweeps one or two params over lists of values × seeds (`enc.units=[64],[128]`, one per line for
 * two): trains the runs one after another, overlays their train (solid) and test (dashed) loss curves
 * coloured by value, and tabulates mean ± std of the losses and metrics per value, the best marked.
 */
@customElement('lf-sweep')
export class LfSweep extends LitElement {
  @property({ attribute: false }) startRun: SweepRunFactory | null = null;
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;
  @property({ attribute: false }) metricNodes: string[] = [];
  /** Metric node ids to the names people know them by ("Pixel errors"). */
  @property({ attribute: false }) names: Record<string, string> = {};
  @property({ type: Number }) firstSeed = 1;
  @property({ type: Number }) seeds = 2;
  @property() spec = 'enc.units=[64],[128]';
  /** Changes when another graph opens: the last graph's sweep is cleared (one in progress stops). */
  @property({ attribute: false }) graphKey: unknown = null;
  @state() groups: SweepGroup[] = [];
  /** The loss or metric the table shows (one at a time, so that it fits the side panel); empty: `rankedBy`. */
  @state() shown = '';
  @state() private busy = false;
  @state() private status = '';
  @state() private error = '';
  private abort: AbortController | null = null;
  private stopTheme: (() => void) | null = null;

  static styles = css`
    :host { display: block; font-size: 12px; }
    .bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
    textarea { width: 100%; box-sizing: border-box; font: 11px ui-monospace, monospace; background: var(--lf-input-bg, #0d1117); color: inherit; border: 1px solid var(--lf-border, #444); border-radius: 4px; padding: 4px; }
    input { width: 48px; font: inherit; background: var(--lf-input-bg, #0d1117); color: inherit; border: 1px solid var(--lf-border, #444); border-radius: 4px; padding: 2px 4px; }
    button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    button.primary { background: var(--lf-accent-bg, #238636); border-color: transparent; color: #fff; }
    button:disabled { opacity: 0.45; cursor: default; }
    canvas { width: 100%; height: 160px; display: block; margin: 6px 0; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { text-align: right; padding: 2px 6px; border-bottom: 1px solid var(--lf-border, #333); white-space: nowrap; }
    th:first-child, td:first-child { text-align: left; white-space: normal; overflow-wrap: anywhere; }
    select { font: inherit; max-width: 100%; background: var(--lf-input-bg, #0d1117); color: inherit; border: 1px solid var(--lf-border, #444); border-radius: 4px; padding: 2px 4px; }
    tr.best td { font-weight: 600; }
    .swatch { display: inline-block; width: 8px; height: 8px; border-radius: 2px; margin-right: 4px; }
    .muted { color: var(--lf-muted, #888); }
    .error { color: #f85149; }
  `;

  /** The statistic the best value is chosen by: the test loss when the trainer holds samples out. */
  get rankedBy(): string {
    return this.groups.some((g) => g.stats['test loss']) ? 'test loss' : 'loss';
  }

  /** The group with the lowest mean of `rankedBy`. */
  get best(): SweepGroup | null {
    const by = this.rankedBy;
    return this.groups.reduce<SweepGroup | null>((b, g) => ((g.stats[by]?.mean ?? Infinity) < (b?.stats[by]?.mean ?? Infinity) ? g : b), null);
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('graphKey') && changed.get('graphKey') !== undefined) {
      this.abort?.abort();
      this.groups = [];
      this.status = '';
      this.error = '';
    }
  }

  connectedCallback(): void {
    super.connectedCallback();
    // The chart's axes take the theme's colours when drawn: a new theme draws it again.
    this.stopTheme = watchTheme(() => this.requestUpdate());
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    this.stopTheme?.();
    this.stopTheme = null;
  }

  render() {
    const keys = columnsOf(this.groups.flatMap((g) => g.runs));
    const best = this.best;
    const shown = keys.includes(this.shown) ? this.shown : this.rankedBy;
    return html`
      <textarea rows="2" aria-label="Sweep" .value=${this.spec} ?disabled=${this.busy} spellcheck="false"
        title="NODE.PARAM=VALUE,VALUE,… (values as JSON: [64],[128] or 0.001,0.01); a second line sweeps a second param (every pair)"
        @change=${(e: Event) => (this.spec = (e.target as HTMLTextAreaElement).value)}></textarea>
      <div class="bar">
        <label>seeds <input type="number" min="1" max="20" .value=${String(this.seeds)} ?disabled=${this.busy}
          @change=${(e: Event) => (this.seeds = Math.min(20, Math.max(1, Math.round(Number((e.target as HTMLInputElement).value)) || this.seeds)))} /></label>
        ${this.busy
          ? html`<button @click=${() => this.abort?.abort()}>Stop</button>`
          : html`<button class="primary" ?disabled=${!this.startRun || !this.doc || !this.catalog} @click=${() => void this.sweep()}>Sweep</button>`}
        <span class="muted">${this.status}</span>
      </div>
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      ${this.groups.length ? html`<canvas aria-label="Loss curves per value"></canvas>
        <div class="bar"><label>show <select aria-label="Loss or metric shown" @change=${(e: Event) => (this.shown = (e.target as HTMLSelectElement).value)}>
          ${keys.map((k) => html`<option value=${k} ?selected=${k === shown}>${statName(k, this.names)}</option>`)}</select></label></div>
        <table>
          <tr><th>value</th><th>runs</th><th>mean ± std</th></tr>
          ${this.groups.map((g, i) => html`<tr class=${g === best ? 'best' : ''}>
            <td><span class="swatch" style="background:${palette[i % palette.length]}"></span>${g.label}${g === best ? ' ★' : ''}</td>
            <td>${g.runs.length}</td><td>${g.stats[shown] ? `${format(g.stats[shown].mean)} ± ${format(g.stats[shown].std)}` : '–'}</td></tr>`)}
        </table>
        <div class="muted">★ lowest mean ${this.rankedBy}; curves: training solid, test dashed</div>`
        : html`<div class="muted">Trains the graph once per value and seed and compares the losses and metrics per value.</div>`}`;
  }

  protected updated(changed: PropertyValues): void {
    super.updated(changed);
    const canvas = this.renderRoot.querySelector('canvas');
    if (canvas) drawSweep(canvas, this.groups, themeColors(this));
  }

  /** Runs the sweep: every value (pair) × seed, one after another; resolves with the groups. */
  async sweep(): Promise<SweepGroup[]> {
    if (!this.startRun || !this.doc || !this.catalog || this.busy) return this.groups;
    const factory = this.startRun;
    const sweeps: Sweep[] = [];
    for (const line of this.spec.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const s = parseSweep(line);
      if (typeof s === 'string') return this.fail(s);
      sweeps.push(s);
    }
    if (sweeps.length === 0) return this.fail('sweep one or two params: NODE.PARAM=VALUE,VALUE,… one per line');
    const combos = sweepCombinations(sweeps, this.seeds);
    if (typeof combos === 'string') return this.fail(combos);
    const texts: string[] = [];
    for (const combo of combos) {
      const swept = sweptPlan(this.doc, sweeps, combo, this.catalog as TypedCatalog<NodeKind>);
      if (typeof swept === 'string') return this.fail(swept);
      texts.push(saveGraph(swept.doc));
    }
    this.busy = true;
    this.error = '';
    this.groups = [];
    this.abort = new AbortController();
    const seeds = Array.from({ length: this.seeds }, (_, i) => this.firstSeed + i);
    try {
      for (const [i, combo] of combos.entries()) {
        if (this.abort.signal.aborted) break;
        const group: SweepGroup = { label: label(sweeps, combo), runs: [], curves: [], stats: {} };
        this.groups = [...this.groups, group];
        await compareSeeds(seeds, async (seed) => {
          const run = await factory(texts[i]!, seed);
          if (typeof run === 'string') throw new Error(run);
          return run;
        }, {
          metricNodes: this.metricNodes,
          signal: this.abort.signal,
          onRun: (run, k, seed) => {
            this.status = `${group.label}, seed ${seed} (run ${i * seeds.length + k + 1} of ${combos.length * seeds.length})`;
            void run.finished.then(() => {
              const h = run.history();
              group.curves.push({ train: h, ...(h.test ? { test: h.test } : {}) });
            });
          },
          onResult: (r) => {
            group.runs.push(r);
            group.stats = summarizeSeeds(group.runs);
            this.groups = [...this.groups];
          },
        });
      }
    } catch (e) {
      this.error = `Could not train: ${errorMessage(e)}`;
    } finally {
      this.busy = false;
      this.status = '';
      this.abort = null;
    }
    this.dispatchEvent(new CustomEvent('lf-sweep-done', { detail: { groups: this.groups }, bubbles: true, composed: true }));
    return this.groups;
  }

  private fail(message: string): SweepGroup[] {
    this.error = message;
    return this.groups;
  }
}

/** Overlays every run's loss curves on the loss chart's axes (log scale), one colour per value. */
function drawSweep(canvas: HTMLCanvasElement, groups: readonly SweepGroup[], c: Colors): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const size = { width: canvas.clientWidth || 300, height: canvas.clientHeight || 160 };
  canvas.width = Math.round(size.width * dpr);
  canvas.height = Math.round(size.height * dpr);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(dpr, dpr);
  g.clearRect(0, 0, size.width, size.height);
  const series = groups.flatMap((grp, i) => grp.curves.flatMap((c) => [{ s: c.train, i, dashed: false }, ...(c.test ? [{ s: c.test, i, dashed: true }] : [])]));
  const steps = series.flatMap(({ s }) => s.steps);
  const axes = drawAxes(g, size, { x0: Math.min(0, ...steps), x1: Math.max(1, ...steps), values: series.flatMap(({ s }) => s.total) }, true, c);
  if (!axes) return;
  for (const { s, i, dashed } of series) {
    g.strokeStyle = palette[i % palette.length]!;
    g.lineWidth = 1.25;
    g.setLineDash(dashed ? [4, 3] : []);
    g.beginPath();
    let pen = false;
    s.steps.forEach((x, k) => {
      const y = s.total[k]!;
      if (!(y > 0) || !Number.isFinite(y)) return void (pen = false);
      if (pen) g.lineTo(axes.X(x), axes.Y(y));
      else g.moveTo(axes.X(x), axes.Y(y));
      pen = true;
    });
    g.stroke();
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-sweep': LfSweep }
}
