import { ClassicPreset } from 'rete';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { nodeTextSize } from './fit';

/** The row a comment's sweep button takes under its text. */
export const noteSweepRowHeight = 30;

/** The event a comment's sweep button sends (bubbling out of the canvas): the app opens its Sweep panel and runs it. */
export const noteSweepEvent = 'lf-note-sweep';
export interface NoteSweepRequest { spec: string }

/** A comment's sweep (its `sweep` param: `NODE.PARAM=VALUE,VALUE,…`, then `;` or a new line and a second param) as a control. */
export class NoteSweepControl extends ClassicPreset.Control {
  constructor(public spec: string) {
    super();
  }
}

/** A note's sweep as the Sweep panel reads it: one param a line (a note's one-line text field separates them with `;`). */
export function noteSweepSpec(spec: string): string {
  return spec.split(/[\n;]/).map((l) => l.trim()).filter(Boolean).join('\n');
}

/** How the button names a sweep: `enc.units = 64, 128` (a one-value list without its brackets), two params joined by ×. */
export function sweepButtonLabel(spec: string): string {
  return noteSweepSpec(spec).split('\n').map((line) => {
    const eq = line.indexOf('=');
    if (eq < 0) return line;
    const values = line.slice(eq + 1).split(/\s*,\s*(?![^[]*\])/).map((v) => v.trim().replace(/^\[\s*([^,\]]*?)\s*\]$/, '$1'));
    return `${line.slice(0, eq).trim()} = ${values.join(', ')}`;
  }).join(' × ');
}

// A pointerdown reaching the node would start dragging it.
const keepPointer = (e: Event) => e.stopPropagation();

/** The button under a comment's text that runs its sweep in one click. */
@customElement('lf-note-sweep')
export class LfNoteSweep extends LitElement {
  @property({ attribute: false }) data: NoteSweepControl | null = null;

  static styles = css`
    :host { display: block; }
    button { box-sizing: border-box; max-width: 100%; height: 24px; padding: 0 8px; border-radius: 4px; cursor: pointer;
      font: ${nodeTextSize}px system-ui, sans-serif; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
      border: 1px solid #ffffff55; background: #0004; color: #fff; }
    button:hover { background: #0007; }
  `;

  render() {
    const spec = this.data?.spec;
    if (!spec) return nothing;
    return html`<button data-note-sweep @pointerdown=${keepPointer} @dblclick=${keepPointer}
      title="Train the graph for each value × seeds in the Sweep panel"
      @click=${() => this.dispatchEvent(new CustomEvent<NoteSweepRequest>(noteSweepEvent, { detail: { spec: noteSweepSpec(spec) }, bubbles: true, composed: true }))}
      >▶ Sweep ${sweepButtonLabel(spec)}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-note-sweep': LfNoteSweep }
}
