import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { nodeTextSize } from './fit';
import { previewBox, toggleRowHeight, type PreviewControl } from './preview-control';

/** What the preview control needs from the editor: the toggle, and the live content (the app's). */
export interface PreviewHooks {
  toggle(nodeId: string): void;
  render?: (nodeId: string) => unknown;
}

// Inside the box the user hovers, clicks and ticks boxes: a pointerdown reaching the node would drag it.
const keepPointer = (e: Event) => e.stopPropagation();

/** A wheel over something in the box that can scroll that way (an outlier ranking) scrolls it instead of zooming the canvas. */
const keepScrollWheel = (e: WheelEvent) => {
  for (const el of e.composedPath()) {
    if (!(el instanceof HTMLElement) || el.hasAttribute('data-preview')) break;
    const canScroll = e.deltaY > 0 ? el.scrollTop + el.clientHeight < el.scrollHeight - 1 : el.scrollTop > 0;
    if (el.scrollHeight > el.clientHeight && canScroll) return e.stopPropagation();
  }
};

/**
 * A view node's "▸ view" toggle and, when expanded, the box with its live view. The lit plugin
 * renders one element per control and sets `data` again on `area.update('control', id)`.
 */
@customElement('lf-preview-control')
export class LfPreviewControl extends LitElement {
  @property({ attribute: false }) data: PreviewControl | null = null;
  @property({ attribute: false }) hooks: PreviewHooks | null = null;

  static styles = css`
    :host { display: block; }
    .bar { height: ${toggleRowHeight}px; display: flex; align-items: center; }
    button { font: ${nodeTextSize}px sans-serif; height: 20px; padding: 0 8px; border-radius: 4px; border: 1px solid #ffffff55;
      background: #0004; color: #fff; cursor: pointer; }
    button:hover { background: #0007; }
    .box { box-sizing: border-box; width: ${previewBox.width}px; height: ${previewBox.height}px; margin-top: 2px; padding: 4px;
      display: flex; flex-direction: column; border-radius: 6px; cursor: default; user-select: text;
      background: var(--lf-panel, #161b22); color: var(--lf-fg, #c9d1d9); font: 11px system-ui, sans-serif; }
    .box > * { flex: 1; min-height: 0; }
    .none { color: var(--lf-muted, #8b949e); padding: 8px; }
  `;

  render() {
    const control = this.data;
    if (!control) return nothing;
    const { nodeId, expanded } = control;
    return html`<div class="bar" @pointerdown=${keepPointer} @dblclick=${keepPointer}>
        <button data-preview-toggle aria-expanded=${expanded ? 'true' : 'false'}
          title=${expanded ? 'Hide the live view' : 'Show the live view inside the node'}
          @click=${() => this.hooks?.toggle(nodeId)}>${expanded ? '▾ view' : '▸ view'}</button></div>
      ${expanded ? html`<div class="box" data-preview=${nodeId} @pointerdown=${keepPointer} @dblclick=${keepPointer} @wheel=${keepScrollWheel}>
        ${this.hooks?.render ? this.hooks.render(nodeId) : html`<div class="none">no live view here</div>`}</div>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-preview-control': LfPreviewControl }
}
