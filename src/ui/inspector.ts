import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { checkParam, paramApplies, paramLabel, type GraphNode, type IntParam, type KindSpec, type NumberParam, type ParamSpec } from '../graph';
import { niceStep, paramToText, parseParamText, steppedValue } from './param-text';

/** Fired with a valid value only; invalid input stays in the inspector with its message. */
export interface ParamChange { nodeId: string; name: string; value: unknown; live: boolean }

/** The params of the selected node as controls generated from its kind's declaration. */
@customElement('lf-inspector')
export class LfInspector extends LitElement {
  @property({ attribute: false }) node: GraphNode | null = null;
  @property({ attribute: false }) spec: KindSpec | null = null;
  /** While training, live params act on the run at once. */
  @property({ type: Boolean }) running = false;
  @state() private drafts: Record<string, string> = {};
  @state() private errors: Record<string, string> = {};

  static styles = css`
    :host { display: block; font-size: 13px; }
    h3 { margin: 0 0 2px; font-size: 14px; }
    .kind { color: var(--lf-muted, #888); font-size: 11px; margin-bottom: 8px; font-family: monospace; }
    .row { display: grid; grid-template-columns: minmax(90px, 38%) minmax(0, 1fr); gap: 3px 8px; align-items: center; margin: 7px 0; }
    label { overflow-wrap: anywhere; line-height: 1.25; }
    .live { font-size: 10px; color: var(--lf-accent, #3fb950); margin-left: 4px; }
    input[type='text'], select { width: 100%; box-sizing: border-box; background: var(--lf-input-bg, #0d1117); color: inherit;
      border: 1px solid var(--lf-border, #444); border-radius: 4px; padding: 3px 5px; font: inherit; }
    input.invalid { border-color: #f85149; }
    .error { grid-column: 1 / -1; color: var(--lf-error, #f85149); font-size: 12px; }
    .help { grid-column: 1 / -1; color: var(--lf-muted, #888); font-size: 12px; line-height: 1.35; }
    .hidden { color: var(--lf-muted, #888); font-size: 12px; margin-top: 8px; }
    .pair { display: flex; gap: 6px; align-items: center; }
    .pair input[type='range'] { flex: 1; min-width: 0; }
    .pair input.number { width: 92px; flex: 0 0 92px; }
    .empty { color: var(--lf-muted, #888); }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('node') && (changed.get('node') as GraphNode | null | undefined)?.id !== this.node?.id) {
      this.drafts = {};
      this.errors = {};
    }
  }

  render() {
    if (!this.node) return html`<p class="empty">Select a node to see its settings.</p>`;
    if (!this.spec) return html`<h3>${this.node.id}</h3><p class="empty">Unknown kind ${this.node.kind}: kept as it is; replace it to run.</p>`;
    const all = Object.entries(this.spec.params);
    // Only the params that apply with the others' values (momentum only for the momentum optimizer).
    const entries = all.filter(([, spec]) => paramApplies(spec, this.node!.params));
    const hidden = all.length - entries.length;
    return html`
      <h3>${this.spec.title} <span class="kind">${this.node.id}</span></h3>
      <div class="kind">${this.node.kind} v${this.node.kindVersion}</div>
      ${all.length === 0 ? html`<p class="empty">No settings.</p>` : entries.map(([name, spec]) => this.renderParam(name, spec))}
      ${hidden ? html`<div class="hidden">${hidden} more ${hidden === 1 ? 'setting applies' : 'settings apply'} with other choices above.</div>` : nothing}
    `;
  }

  private renderParam(name: string, spec: ParamSpec) {
    const value = this.node!.params[name];
    const error = this.errors[name];
    const id = `p-${name}`;
    return html`
      <div class="row" data-param=${name}>
        <label for=${id} title=${name}><span class="text">${paramLabel(name, spec)}</span>${spec.live ? html`<span class="live" title="changes a running training at once">live</span>` : nothing}</label>
        ${this.renderControl(name, spec, value, id, !!error)}
        ${error ? html`<div class="error" role="alert">${error}</div>` : spec.help ? html`<div class="help">${spec.help}</div>` : nothing}
      </div>`;
  }

  private renderControl(name: string, spec: ParamSpec, value: unknown, id: string, invalid: boolean) {
    const text = this.drafts[name] ?? paramToText(value);
    const onText = (e: Event) => this.edit(name, spec, (e.target as HTMLInputElement).value);
    switch (spec.type) {
      case 'bool':
        return html`<input id=${id} type="checkbox" .checked=${value === true} @change=${(e: Event) => this.commit(name, spec, (e.target as HTMLInputElement).checked)} />`;
      case 'choice':
        return html`<select id=${id} @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; this.commit(name, spec, v === '' && spec.optional ? null : v); }}>
          ${spec.optional ? html`<option value="" ?selected=${value === null}>(not set)</option>` : nothing}
          ${spec.options.map((o) => html`<option value=${o} ?selected=${o === value}>${o}</option>`)}
        </select>`;
      case 'number':
      case 'int': {
        const step = spec.type === 'int' ? 1 : (spec.step ?? niceStep(spec.min, spec.max));
        // A text field, not type="number": the browser keeps what was typed ("-" on the way to "-1")
        // instead of reporting it as empty, so a value out of range is shown as an error, never half-applied.
        const number = html`<input id=${id} type="text" inputmode=${spec.type === 'int' ? 'numeric' : 'decimal'} class="number ${invalid ? 'invalid' : ''}"
          aria-invalid=${invalid ? 'true' : 'false'} .value=${text} @input=${onText} @keydown=${(e: KeyboardEvent) => this.step(e, name, spec, value)} />`;
        if (!spec.live) return number;
        if (spec.type === 'number' && spec.log) {
          // A logarithmic slider: equal moves multiply the value (0.0001 … 10 for a learning rate).
          const scale = logScale(spec);
          return html`<div class="pair">
            <input type="range" aria-label=${`${name} slider (logarithmic)`} min="0" max=${logSteps} step="1" .value=${String(scale.toPosition(typeof value === 'number' ? value : scale.lo))}
              @input=${(e: Event) => this.edit(name, spec, String(scale.fromPosition(Number((e.target as HTMLInputElement).value))))} />${number}</div>`;
        }
        return html`<div class="pair">
          <input type="range" aria-label=${`${name} slider`} min=${spec.min} max=${spec.max} step=${step} .value=${String(value ?? spec.min)}
            @input=${(e: Event) => this.edit(name, spec, (e.target as HTMLInputElement).value)} />${number}</div>`;
      }
      default:
        return html`<input id=${id} type="text" class=${invalid ? 'invalid' : ''} .value=${text}
          placeholder=${spec.type.endsWith('list') ? 'e.g. 60, 50, 30' : ''} @input=${onText} />`;
    }
  }

  /** ArrowUp/ArrowDown in a number field: the value one step on (`steppedValue`), through the same strict reading and check as typing. */
  private step(e: KeyboardEvent, name: string, spec: NumberParam | IntParam, stored: unknown): void {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const typed = parseParamText(spec, (e.target as HTMLInputElement).value);
    // From what is typed when it reads as a number; else (a typo, an empty field) from the value in the graph.
    const from = typeof typed === 'number' ? typed : typeof stored === 'number' ? stored : spec.min;
    this.edit(name, spec, String(steppedValue(spec, from, e.key === 'ArrowUp' ? 1 : -1, e.shiftKey)));
  }

  private edit(name: string, spec: ParamSpec, text: string): void {
    this.drafts = { ...this.drafts, [name]: text };
    this.commit(name, spec, parseParamText(spec, text));
  }

  private commit(name: string, spec: ParamSpec, value: unknown): void {
    const issues = checkParam(spec, value);
    if (issues.length) {
      const i = issues[0]!;
      this.errors = { ...this.errors, [name]: i.index !== undefined ? `item ${i.index + 1} ${i.message}` : i.message };
      return;
    }
    const { [name]: _, ...rest } = this.errors;
    this.errors = rest;
    this.dispatchEvent(new CustomEvent<ParamChange>('lf-param', {
      detail: { nodeId: this.node!.id, name, value, live: !!spec.live && this.running }, bubbles: true, composed: true,
    }));
  }
}

/** Positions on a logarithmic slider. */
const logSteps = 1000;

/**
 * A log scale over a number param: from its min (or, when the min is 0, its step or a millionth of
 * its max) to its max; values read from it keep three significant digits.
 */
export function logScale(spec: Pick<NumberParam, 'min' | 'max' | 'step'>): { lo: number; hi: number; toPosition(v: number): number; fromPosition(p: number): number } {
  const hi = spec.max;
  const lo = spec.min > 0 ? spec.min : Math.min(hi / 10, spec.step && spec.step > 0 ? spec.step : hi * 1e-6);
  const span = Math.log(hi / lo);
  return {
    lo, hi,
    toPosition: (v) => Math.round(Math.min(1, Math.max(0, Math.log(Math.max(v, lo) / lo) / span)) * logSteps),
    fromPosition: (p) => Math.min(hi, Math.max(spec.min, Number((lo * Math.exp((span * p) / logSteps)).toPrecision(3)))),
  };
}

declare global {
  interface HTMLElementTagNameMap { 'lf-inspector': LfInspector }
}
