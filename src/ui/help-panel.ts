import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { shortcutList } from '../editor';

/** The keyboard shortcuts and mouse gestures of the editor. */
@customElement('lf-help')
export class LfHelp extends LitElement {
  static styles = css`
    :host { display: block; font-size: 13px; }
    table { border-collapse: collapse; }
    td { padding: 3px 10px 3px 0; }
    kbd { font-family: monospace; background: var(--lf-panel-2, #8882); border-radius: 3px; padding: 1px 4px; }
  `;

  render() {
    return html`<table>${shortcutList.map((s) => html`<tr><td><kbd>${s.keys}</kbd></td><td>${s.what}</td></tr>`)}
      <tr><td><kbd>Drag</kbd></td><td>Move nodes, or the canvas; drag from a socket to connect; Ctrl+click selects several</td></tr>
      <tr><td><kbd>Shift+drag</kbd></td><td>Select the nodes in a box (Ctrl+Shift+drag adds them to the selection)</td></tr>
      <tr><td><kbd>Wheel</kbd></td><td>Zoom</td></tr></table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-help': LfHelp }
}
