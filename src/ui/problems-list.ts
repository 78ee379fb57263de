import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatProblem, type Problem } from '../graph';

/** The problems of the graph; clicking one selects its node (event `lf-select-node`). */
@customElement('lf-problems')
export class LfProblems extends LitElement {
  @property({ attribute: false }) problems: readonly Problem[] = [];

  static styles = css`
    :host { display: block; font-size: 12px; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 4px 6px; border-left: 3px solid #f85149; margin: 3px 0; background: var(--lf-panel-2, #0001); cursor: default; }
    li.warning, li.info { border-left-color: #d29922; }
    li[data-node] { cursor: pointer; }
    li[data-node]:hover { background: var(--lf-hover, #8882); }
    .ok { color: var(--lf-accent, #3fb950); }
  `;

  render() {
    if (this.problems.length === 0) return html`<p class="ok">No problems.</p>`;
    return html`<ul>${this.problems.map((p) => html`
      <li class=${p.severity} data-node=${p.nodeId ?? ''} ?data-node=${p.nodeId !== undefined}
        @click=${() => p.nodeId !== undefined && this.dispatchEvent(new CustomEvent('lf-select-node', { detail: { nodeId: p.nodeId }, bubbles: true, composed: true }))}>
        ${formatProblem(p)}</li>`)}</ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-problems': LfProblems }
}
