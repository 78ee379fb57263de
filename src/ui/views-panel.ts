import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Observable } from 'rxjs';
import { saveGraph, type Catalog, type GraphDoc, type Json } from '../graph';
import { embedGraphInPng, fileNameFor } from '../store';
import { canvasPng, download } from './downloads';
import type { Run } from '../runtime/types';
import './loss-curve';
import './result-view';

/** One panel per view node of the graph, fed by the node its input is connected to. */
@customElement('lf-views')
export class LfViews extends LitElement {
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;
  private streams = new Map<string, Observable<Json>>();

  static styles = css`
    :host { display: flex; gap: 8px; overflow-x: auto; padding: 6px; box-sizing: border-box; }
    .view { flex: 1 0 260px; display: flex; flex-direction: column; background: var(--lf-panel-2, #8881); border-radius: 6px; padding: 4px 6px; min-height: 0; }
    .view > * { flex: 1; min-height: 0; }
    .name { flex: 0 0 auto; font-size: 11px; font-weight: 600; display: flex; justify-content: space-between; }
    .name button { font: inherit; font-weight: 400; font-size: 10px; padding: 0 4px; border-radius: 3px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    .empty { color: var(--lf-muted, #888); font-size: 12px; padding: 8px; }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('run')) this.streams.clear();
  }

  render() {
    const views = (this.doc?.nodes ?? []).filter((n) => n.kind.startsWith('view.'));
    if (!views.length) return html`<div class="empty">Add a view node (right click → Views) to watch training here.</div>`;
    return views.map((v) => {
      const edge = this.doc!.edges.find((e) => e.to.node === v.id && e.to.socket !== 'decoder');
      const title = html`${v.id}<button title="Save as PNG (it carries the graph: drop it on latentflow to reopen)" @click=${() => void this.savePng(v.id)}>PNG</button>`;
      if (v.kind === 'view.loss-curve') {
        return html`<div class="view" data-view=${v.id}><span class="name">${title}</span>
          <lf-loss-curve .run=${this.run} .log=${v.params.logScale !== false}></lf-loss-curve></div>`;
      }
      return html`<div class="view" data-view=${v.id}><span class="name">${title}</span>
        <lf-result-view .heading=${edge ? `from ${edge.from.node}` : 'not connected'} .source=${edge ? this.stream(edge.from.node, edge.from.socket) : null}
          .run=${this.run} .doc=${this.doc} .catalog=${this.catalog} .viewNode=${v.id}></lf-result-view></div>`;
    });
  }

  /** A view's canvas as PNG bytes with the graph file embedded (null when the view draws no canvas). */
  async pngOf(viewId: string): Promise<Uint8Array | null> {
    const holder = this.shadowRoot?.querySelector(`[data-view="${CSS.escape(viewId)}"] > :not(.name)`) as (Element & { snapshot?: () => HTMLCanvasElement | null }) | null;
    const canvas = holder?.snapshot?.() ?? holder?.shadowRoot?.querySelector('canvas');
    if (!canvas || !this.doc) return null;
    const embedded = embedGraphInPng(await canvasPng(canvas), saveGraph(this.doc));
    return embedded.ok ? embedded.value : null;
  }

  private async savePng(viewId: string): Promise<void> {
    const bytes = await this.pngOf(viewId);
    if (bytes && this.doc) download(fileNameFor(this.doc, `-${viewId}.png`), bytes, 'image/png');
  }

  private stream(nodeId: string, socket: string): Observable<Json> | null {
    if (!this.run) return null;
    const key = `${nodeId}\u0000${socket}`;
    let s = this.streams.get(key);
    if (!s) this.streams.set(key, (s = this.run.output$(nodeId, socket)));
    return s;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-views': LfViews }
}
