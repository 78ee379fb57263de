import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { saveGraph, type Catalog, type GraphDoc } from '../graph';
import { embedGraphInPng, fileNameFor } from '../store';
import { canvasPng, download } from './downloads';
import type { Run } from '../runtime/types';
import type { LfViewCard } from './view-card';
import './view-card';

/** One panel per view node of the graph, fed by the node its input is connected to. */
@customElement('lf-views')
export class LfViews extends LitElement {
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;

  static styles = css`
    :host { display: flex; gap: 8px; overflow-x: auto; padding: 6px; box-sizing: border-box; }
    .view { flex: 1 0 260px; display: flex; flex-direction: column; background: var(--lf-panel-2, #8881); border-radius: 6px; padding: 4px 6px; min-height: 0; }
    .view > * { flex: 1; min-height: 0; }
    .name { flex: 0 0 auto; font-size: 11px; font-weight: 600; display: flex; justify-content: space-between; }
    .name button { font: inherit; font-weight: 400; font-size: 10px; padding: 0 4px; border-radius: 3px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    .empty { color: var(--lf-muted, #888); font-size: 12px; padding: 8px; }
  `;

  render() {
    const views = (this.doc?.nodes ?? []).filter((n) => n.kind.startsWith('view.'));
    if (!views.length) return html`<div class="empty">Add a view node (right click → Views) to watch training here.</div>`;
    return views.map((v) => html`<div class="view" data-view=${v.id}><span class="name">${v.id}<button
        title="Save as PNG (it carries the graph: drop it on latentflow to reopen)" @click=${() => void this.savePng(v.id)}>PNG</button></span>
      <lf-view-card .run=${this.run} .doc=${this.doc} .catalog=${this.catalog} .viewNode=${v.id}></lf-view-card></div>`);
  }

  /** A view's canvas as PNG bytes with the graph file embedded (null when the view draws no canvas). */
  async pngOf(viewId: string): Promise<Uint8Array | null> {
    const card = this.shadowRoot?.querySelector<LfViewCard>(`[data-view="${CSS.escape(viewId)}"] > lf-view-card`);
    const canvas = card?.snapshot();
    if (!canvas || !this.doc) return null;
    const embedded = embedGraphInPng(await canvasPng(canvas), saveGraph(this.doc));
    return embedded.ok ? embedded.value : null;
  }

  private async savePng(viewId: string): Promise<void> {
    const bytes = await this.pngOf(viewId);
    if (bytes && this.doc) download(fileNameFor(this.doc, `-${viewId}.png`), bytes, 'image/png');
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-views': LfViews }
}
