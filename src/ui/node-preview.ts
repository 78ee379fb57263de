import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Observable } from 'rxjs';
import type { Catalog, GraphDoc } from '../graph';
import type { Run } from '../runtime/types';
import { RxController, perFrame } from './rx-controller';
import './view-card';

/** What a view draws from: the current run, the document and the kinds. */
export interface ViewContext {
  run: Run | null;
  doc: GraphDoc | null;
  catalog: Catalog | null;
}

/**
 * A view node's live view inside the node on the canvas. The editor renders it once, when the node
 * is expanded, so it follows the app's current run and document through `context` rather than
 * through properties the editor would have to set again.
 */
@customElement('lf-node-preview')
export class LfNodePreview extends LitElement {
  @property({ attribute: false }) context: Observable<ViewContext> | null = null;
  @property({ attribute: false }) viewNode: string | null = null;
  private current = new RxController<ViewContext>(this);

  static styles = css`
    :host { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
    lf-view-card { flex: 1; }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    // Edits (a node drag) change the document many times a frame; the drawing follows at most once a frame.
    if (changed.has('context')) this.current.observe(this.context ? perFrame(this.context) : null);
  }

  render() {
    const c = this.current.value;
    return html`<lf-view-card .run=${c?.run ?? null} .doc=${c?.doc ?? null} .catalog=${c?.catalog ?? null} .viewNode=${this.viewNode}></lf-view-card>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-node-preview': LfNodePreview }
}
