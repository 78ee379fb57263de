import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Catalog, GraphDoc } from '../graph';
import type { Run } from '../runtime/types';
import { sharedOutput } from './run-outputs';
import './loss-curve';
import './result-view';

/**
 * The live content of one view node: its loss curve, or what the node its input is connected to
 * gives (scatter, images, histogram, ranking). The docked panel and the node's own preview both draw it.
 */
@customElement('lf-view-card')
export class LfViewCard extends LitElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;
  @property({ attribute: false }) viewNode: string | null = null;

  // No shadow root: the drawing elements stay reachable from the container (the panel's
  // `[data-view=id] lf-result-view` lookups and PNG export), and their own shadow roots style them.
  protected createRenderRoot(): HTMLElement {
    return this;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.style.display = 'flex';
    this.style.flexDirection = 'column';
    this.style.minWidth = '0';
    this.style.minHeight = '0';
  }

  render() {
    const v = this.doc?.nodes.find((n) => n.id === this.viewNode);
    if (!v) return html`<div style="color: var(--lf-muted, #888)">no view node "${this.viewNode ?? ''}"</div>`;
    const fill = 'flex: 1; min-height: 0;';
    if (v.kind === 'view.loss-curve') return html`<lf-loss-curve style=${fill} .run=${this.run} .log=${v.params.logScale !== false}></lf-loss-curve>`;
    const edge = this.doc!.edges.find((e) => e.to.node === v.id && e.to.socket !== 'decoder');
    return html`<lf-result-view style=${fill} .heading=${edge ? `from ${edge.from.node}` : 'not connected'}
      .source=${edge ? sharedOutput(this.run, edge.from.node, edge.from.socket) : null}
      .run=${this.run} .doc=${this.doc} .catalog=${this.catalog} .viewNode=${v.id}></lf-result-view>`;
  }

  /** The view's drawing as one canvas (the loss curve with its legend), or null when it draws none. */
  snapshot(): HTMLCanvasElement | null {
    const holder = this.firstElementChild as (Element & { snapshot?: () => HTMLCanvasElement | null }) | null;
    return holder?.snapshot?.() ?? holder?.shadowRoot?.querySelector('canvas') ?? null;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-view-card': LfViewCard }
}
