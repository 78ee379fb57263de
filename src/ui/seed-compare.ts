import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Subscription } from 'rxjs';
import { compareSeeds, summarizeSeeds, type SeedRun, type SeedStat } from '../runtime/seeds';
import type { Progress, Run } from '../runtime/types';
import { errorMessage } from '../lib/error-message';
import { columnsOf, format, statName, valueOf } from './seed-columns';
import type { SeedsOutcome } from './worker-seeds';

/** Makes a run of the open graph with a seed (in the Worker), or says why it cannot. */
export type SeedRunFactory = (seed: number) => Promise<Run | string>;
/** Trains the seeds of the open graph as one program (in a Worker): their results, why they train one after another instead, or why the graph cannot run. */
export type SeedsTogether = (seeds: number[], options: { metricNodes: string[]; signal: AbortSignal; onProgress: (p: Progress | null) => void }) => Promise<Exclude<SeedsOutcome, { problems: unknown }> | string>;

/**
 * Trains the open graph once per seed and shows mean ± std of the final losses and of every metric
 * node's numbers (the course's "in how many of 10 runs is every glyph exact"). The seeds train together
 * as one program where the graph allows (`startSeeds`: each seed's numbers are its lone run's, several
 * times faster for a small net), else one at a time, saying why.
 */
@customElement('lf-seed-compare')
export class LfSeedCompare extends LitElement {
  @property({ attribute: false }) startRun: SeedRunFactory | null = null;
  /** Trains the seeds as one program where the graph allows (null: always one after another). */
  @property({ attribute: false }) startSeeds: SeedsTogether | null = null;
  /** Metric nodes of the graph, evaluated at the end of each run. */
  @property({ attribute: false }) metricNodes: string[] = [];
  /** The first seed (the trainer's); the others follow it. */
  @property({ type: Number }) firstSeed = 1;
  @property({ type: Number }) count = 5;
  /** Metric node ids to the names people know them by ("Pixel errors"). */
  @property({ attribute: false }) names: Record<string, string> = {};
  /** Changes when another graph opens: the comparison of the last one is cleared. */
  @property({ attribute: false }) graphKey: unknown = null;
  /** Whether the table of every run is shown under the summary. */
  @state() showRuns = false;
  @state() runs: SeedRun[] = [];
  @state() private busy = false;
  /** The seed training now (`together`: every seed at once) and its progress. */
  @state() private current: { index: number; seed: number; together: boolean; progress: Progress | null } | null = null;
  /** How the comparison trains its seeds: one after another and why (shown while they train), or together (once done). */
  @state() how = '';
  @state() private error = '';
  private abort: AbortController | null = null;
  private progressSub: Subscription | null = null;

  static styles = css`
    :host { display: block; font-size: 12px; }
    .bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
    input { width: 56px; font: inherit; background: var(--lf-input-bg, #0d1117); color: inherit; border: 1px solid var(--lf-border, #444); border-radius: 4px; padding: 2px 4px; }
    button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    button.primary { background: var(--lf-accent-bg, #238636); border-color: transparent; color: #fff; }
    button:disabled { opacity: 0.45; cursor: default; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; table-layout: auto; }
    th, td { text-align: right; padding: 3px 4px; border-bottom: 1px solid var(--lf-border, #333); }
    th { font-weight: 600; color: var(--lf-muted, #888); }
    th:first-child, td:first-child { text-align: left; white-space: normal; overflow-wrap: anywhere; }
    td.mean { white-space: nowrap; font-weight: 600; }
    .runs { overflow-x: auto; margin-top: 6px; }
    .runs td, .runs th { white-space: nowrap; }
    button.link { all: unset; cursor: pointer; color: var(--lf-muted, #888); text-decoration: underline dotted; margin-top: 6px; display: inline-block; }
    .muted { color: var(--lf-muted, #888); }
    .error { color: #f85149; }
    progress { width: 100%; height: 6px; }
  `;

  /** The summary of the runs so far. */
  get summary(): Record<string, SeedStat> {
    return summarizeSeeds(this.runs);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  render() {
    const keys = columnsOf(this.runs);
    const summary = this.summary;
    const p = this.current?.progress;
    return html`
      <div class="bar">
        <label>runs <input type="number" min="2" max="50" .value=${String(this.count)} ?disabled=${this.busy}
          @change=${(e: Event) => (this.count = clampCount((e.target as HTMLInputElement).value, this.count))} /></label>
        <span class="muted">seeds ${this.firstSeed}–${this.firstSeed + this.count - 1}</span>
        ${this.busy
          ? html`<button @click=${() => this.abort?.abort()}>Stop</button>`
          : html`<button class="primary" ?disabled=${!this.startRun} @click=${() => void this.compare()}>Train ${this.count} seeds</button>`}
        ${this.runs.length && !this.busy ? html`<button @click=${() => void this.copyTable()} title="Tab-separated, for a spreadsheet">Copy table</button>` : nothing}
      </div>
      ${this.current ? html`<div class="muted">${this.current.together ? `seeds ${this.firstSeed}–${this.firstSeed + this.count - 1} together` : `seed ${this.current.seed} (${this.current.index + 1} of ${this.count})`}${p ? ` · epoch ${p.epoch}/${p.epochs}` : ''}</div>
        <progress max="1" .value=${this.current.together ? (p && p.totalSteps ? p.step / p.totalSteps : 0) : (this.current.index + (p && p.totalSteps ? p.step / p.totalSteps : 0)) / this.count}></progress>` : nothing}
      ${this.how ? html`<div class="muted how">${this.how}</div>` : nothing}
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      ${this.runs.length ? html`<table class="summary">
        <tr><th>over ${this.runs.length} runs</th><th>mean ± std</th><th>min – max</th></tr>
        ${keys.map((k) => html`<tr data-key=${k}><td title=${k}>${this.nameOf(k)}</td>${summary[k]
          ? html`<td class="mean">${format(summary[k].mean)} ± ${format(summary[k].std)}</td><td>${format(summary[k].min)} – ${format(summary[k].max)}</td>`
          : html`<td class="mean">–</td><td>–</td>`}</tr>`)}
      </table>
      <button class="link" aria-expanded=${this.showRuns} @click=${() => (this.showRuns = !this.showRuns)}>${this.showRuns ? 'hide' : 'show'} each run</button>
      ${this.showRuns ? html`<div class="runs"><table class="each">
        <tr><th>seed</th><th>state</th>${keys.map((k) => html`<th title=${k}>${this.nameOf(k)}</th>`)}</tr>
        ${this.runs.map((r) => html`<tr><td>${r.seed}</td><td>${r.state}</td>${keys.map((k) => html`<td>${format(valueOf(r, k))}</td>`)}</tr>`)}
      </table></div>` : nothing}` : html`<div class="muted">Trains the graph once per seed (all seeds together where the graph allows) and compares the final losses and metrics.</div>`}`;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    // Another graph: its comparison starts empty (a comparison in progress stops).
    if (changed.has('graphKey') && changed.get('graphKey') !== undefined) {
      this.abort?.abort();
      this.runs = [];
      this.error = '';
      this.showRuns = false;
    }
  }

  /** A number's name for people: "Pixel errors: exact samples" for `errors.exact`. */
  nameOf(key: string): string {
    return statName(key, this.names);
  }

  /** Trains `count` seeds from `firstSeed`; resolves with the runs when all are done or it is stopped. */
  async compare(): Promise<SeedRun[]> {
    if (!this.startRun || this.busy) return this.runs;
    const factory = this.startRun;
    this.busy = true;
    this.error = '';
    this.runs = [];
    this.how = '';
    this.abort = new AbortController();
    const seeds = Array.from({ length: this.count }, (_, i) => this.firstSeed + i);
    try {
      const together = this.startSeeds ? await this.together(this.startSeeds, seeds, this.abort.signal) : false;
      if (!together) await compareSeeds(seeds, async (seed) => {
        const run = await factory(seed);
        if (typeof run === 'string') throw new Error(run);
        return run;
      }, {
        metricNodes: this.metricNodes,
        signal: this.abort.signal,
        onRun: (run, index, seed) => {
          this.progressSub?.unsubscribe();
          this.current = { index, seed, together: false, progress: null };
          this.progressSub = run.progress$.subscribe((progress) => {
            if (this.current?.seed === seed) this.current = { index, seed, together: false, progress };
          });
          void run.finished.then(() => this.requestUpdate());
        },
        onResult: (r) => (this.runs = [...this.runs, r]),
      });
    } catch (e) {
      this.error = `Could not train: ${errorMessage(e)}`;
    } finally {
      this.progressSub?.unsubscribe();
      this.progressSub = null;
      this.current = null;
      this.busy = false;
      this.abort = null;
    }
    this.dispatchEvent(new CustomEvent('lf-seeds-done', { detail: { runs: this.runs }, bubbles: true, composed: true }));
    return this.runs;
  }

  /** The seeds as one program: true with `runs` set, or false (`how` says why) when they must train one after another. */
  private async together(start: SeedsTogether, seeds: number[], signal: AbortSignal): Promise<boolean> {
    this.current = { index: 0, seed: seeds[0]!, together: true, progress: null };
    const outcome = await start(seeds, {
      metricNodes: this.metricNodes, signal,
      onProgress: (progress) => {
        if (this.current?.together) this.current = { ...this.current, progress };
      },
    });
    if (typeof outcome === 'string') throw new Error(outcome);
    this.current = null;
    if (!outcome.batched) {
      this.how = `Trained one seed after another: ${outcome.reason}.`;
      return false;
    }
    this.runs = outcome.runs;
    this.how = `Trained all ${seeds.length} seeds at once (one stacked model); each seed's results are exactly those it gives on its own.`;
    return true;
  }

  private async copyTable(): Promise<void> {
    const keys = columnsOf(this.runs);
    const rows = [['seed', 'state', ...keys], ...this.runs.map((r) => [String(r.seed), r.state, ...keys.map((k) => String(valueOf(r, k) ?? ''))])];
    await navigator.clipboard?.writeText(rows.map((r) => r.join('\t')).join('\n')).catch(() => undefined);
  }
}


function clampCount(text: string, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) ? Math.min(50, Math.max(2, n)) : fallback;
}

declare global {
  interface HTMLElementTagNameMap { 'lf-seed-compare': LfSeedCompare }
}
