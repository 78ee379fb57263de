import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { filter, type Observable } from 'rxjs';
import type { Progress, Run, RunEvent, RunStatus } from '../runtime/types';
import { RxController, perFrame } from './rx-controller';
import { backendNamed, backendWords } from '../runtime/backend-names';

export type RunAction = 'train' | 'pause' | 'resume' | 'step' | 'stop';

/** Train / Pause / Resume / Step / Stop, progress, speed, ETA, the backend and the seed. */
@customElement('lf-run-controls')
export class LfRunControls extends LitElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ type: Number }) seed: number | null = null;
  /** Set while a run is being started (compiling in the worker). */
  @property({ type: Boolean }) starting = false;
  /** Whether Train keeps the trained weights that still fit after a structural edit. */
  @property({ type: Boolean }) reuse = true;
  private status = new RxController<RunStatus>(this);
  private progress = new RxController<Progress | null>(this);
  private backend = new RxController<RunEvent>(this);

  static styles = css`
    :host { display: block; font-size: 12px; }
    .buttons { display: flex; gap: 4px; flex-wrap: wrap; align-items: center; }
    button { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    button.primary { background: var(--lf-accent-bg, #238636); border-color: transparent; color: #fff; }
    button:disabled { opacity: 0.45; cursor: default; }
    progress { width: 100%; height: 8px; margin: 6px 0 2px; }
    .line { display: flex; gap: 10px; flex-wrap: wrap; color: var(--lf-muted, #888); }
    .badge { display: inline-block; padding: 1px 6px; border-radius: 8px; background: var(--lf-panel-2, #8883); color: var(--lf-fg, inherit); }
    .badge.fallback { background: #d2992233; }
    label { display: inline-flex; gap: 4px; align-items: center; margin-left: auto; }
    label.reuse { margin: 4px 0 0; color: var(--lf-muted, #888); }
    label.reuse input { width: auto; }
    input { width: 64px; font: inherit; background: var(--lf-input-bg, #0d1117); color: inherit; border: 1px solid var(--lf-border, #444); border-radius: 4px; padding: 2px 4px; }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('run')) {
      const run = this.run;
      this.status.observe(run?.status$);
      this.progress.observe(run ? perFrame(run.progress$) : null);
      this.backend.observe(run ? (run.events$.pipe(filter((e) => e.type === 'backend' || e.type === 'backend-fallback')) as Observable<RunEvent>) : null);
    }
  }

  render() {
    const state = this.status.value?.state ?? 'idle';
    const active = state === 'running' || state === 'loading';
    const p = this.progress.value;
    const ev = this.backend.value;
    const backend = this.run?.backend ?? (ev?.type === 'backend' ? ev.backend : ev?.type === 'backend-fallback' ? ev.to : null);
    const threads = ev?.type === 'backend' ? ev.threads : null;
    const fallback = ev?.type === 'backend-fallback' ? `fell back from ${ev.from}: ${ev.reason}`
      : ev?.type === 'backend' && ev.skipped.length ? ev.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ') : '';
    const fraction = p && p.totalSteps > 0 ? p.step / p.totalSteps : 0;
    return html`
      <div class="buttons">
        ${state === 'paused'
          ? html`<button class="primary" @click=${() => this.act('resume')}>Resume</button>`
          : html`<button class="primary" ?disabled=${active || this.starting} @click=${() => this.act('train')}>Train</button>`}
        <button ?disabled=${!active} @click=${() => this.act('pause')}>Pause</button>
        <button ?disabled=${active || this.starting} @click=${() => this.act('step')} title="one training step">Step</button>
        <button ?disabled=${!(active || state === 'paused')} @click=${() => this.act('stop')}>Stop</button>
        <label title="The run's seed (weights, shuffling, noise)">seed
          <input type="number" min="0" step="1" .value=${this.seed === null ? '' : String(this.seed)}
            @change=${(e: Event) => this.setSeed((e.target as HTMLInputElement).value)} /></label>
      </div>
      <label class="reuse" title="After a structural edit (units, a new node...), start from the trained weights wherever a node keeps its shapes — how an AE becomes a warm-started DAE. Off: every Train starts from a fresh init.">
        <input type="checkbox" .checked=${this.reuse} @change=${(e: Event) => this.dispatchEvent(new CustomEvent('lf-reuse', { detail: { reuse: (e.target as HTMLInputElement).checked }, bubbles: true, composed: true }))} />
        keep weights across edits</label>
      <progress max="1" .value=${fraction}></progress>
      <div class="line">
        <span class="state">${this.starting ? 'starting…' : state}${this.status.value?.reason ? ` (${this.status.value.reason})` : ''}</span>
        ${p ? html`<span>epoch ${p.epoch}/${p.epochs}</span><span>${Math.round(p.samplesPerSec)} samples/s</span>${state === 'running' ? html`<span>ETA ${formatEta(p.etaSeconds)}</span>` : nothing}` : nothing}
        ${backend ? html`<span class="badge ${fallback ? 'fallback' : ''}" title=${badgeTitle(backend, threads, fallback)}>${backend}${threads ? ` · ${threads} thread${threads > 1 ? 's' : ''}` : ''}${fallback ? ' ⚠' : ''}</span>` : nothing}
      </div>`;
  }

  private act(action: RunAction): void {
    this.dispatchEvent(new CustomEvent('lf-run', { detail: { action }, bubbles: true, composed: true }));
  }

  private setSeed(text: string): void {
    const seed = Number(text);
    if (!Number.isInteger(seed) || seed < 0) return;
    this.dispatchEvent(new CustomEvent('lf-seed', { detail: { seed }, bubbles: true, composed: true }));
  }
}

function formatEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '–';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

declare global {
  interface HTMLElementTagNameMap { 'lf-run-controls': LfRunControls }
}

function badgeTitle(backend: string, threads: number | null, notUsed: string): string {
  const named = backendNamed(backend);
  const where = `Training runs on ${named ? backendWords[named] : backend}${threads ? ` with ${threads} thread${threads > 1 ? 's' : ''}` : ''}.`;
  return notUsed ? `${where}\nNot used: ${notUsed}` : where;
}
