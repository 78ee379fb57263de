import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { saveGraph, viewTitle, type Catalog, type GraphDoc } from '../graph';
import { embedGraphInPng, fileNameFor, getSetting, setSetting, type Library } from '../store';
import { canvasPng, download } from './downloads';
import { icon } from './icons';
import { exportScale } from './png-export';
import type { Run } from '../runtime/types';
import type { LfViewCard } from './view-card';
import './view-card';

/** The library setting that keeps the panel's height (CSS pixels). */
export const viewsHeightSetting = 'viewsHeight';
/** The panel's height before it is resized. */
export const defaultViewsHeight = 240;
const minHeight = 120;
/** Room between two tiles and around them in the strip (px). */
const tileGap = 8, stripPadding = 6;

/**
 * How many tiles the strip shows side by side: as many as fit at their smallest width (300 px, or 1.25 times
 * their height in a tall panel), never more than there are. They share the strip's width exactly, so none is cut
 * off at its right edge; more scroll sideways, a whole tile at a time.
 */
export function tilesPerRow(stripWidth: number, panelHeight: number, views: number): number {
  const smallest = Math.max(300, (panelHeight - 40) * 1.25);
  const room = stripWidth - 2 * stripPadding;
  return Math.max(1, Math.min(views, Math.floor((room + tileGap) / (smallest + tileGap))));
}

/**
 * One tile per view node of the graph, fed by the node its input is connected to. The divider on top
 * resizes the panel (the height is kept with the library's settings); a tile pops out large in a dialog.
 */
@customElement('lf-views')
export class LfViews extends LitElement {
  @property({ attribute: false }) doc: GraphDoc | null = null;
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) catalog: Catalog | null = null;
  /** Where the panel's height is kept; without one it is not remembered. */
  @property({ attribute: false }) library: Library | null = null;
  /** The panel's height in CSS pixels. */
  @state() height = defaultViewsHeight;
  /** The view shown large in the dialog. */
  @state() popped: string | null = null;
  @query('dialog') private dialog?: HTMLDialogElement;
  @query('.strip') private strip?: HTMLElement;
  /** The strip's width (CSS pixels), as last measured. */
  @state() private stripWidth = 0;
  private drag: { y: number; height: number } | null = null;
  private resize = new ResizeObserver(() => { this.stripWidth = this.strip?.clientWidth ?? 0; });

  static styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; min-width: 0; box-sizing: border-box; position: relative; contain: inline-size; }
    .divider { flex: 0 0 7px; cursor: row-resize; background: var(--lf-border, #444); opacity: 0.55; touch-action: none; }
    .divider:hover, .divider:focus-visible, .divider.dragging { opacity: 1; background: var(--lf-accent, #3fb950); outline: none; }
    .strip { flex: 1; min-height: 0; display: flex; gap: ${tileGap}px; overflow-x: auto; overflow-y: hidden; padding: ${stripPadding}px; box-sizing: border-box;
      scrollbar-width: auto; scrollbar-color: var(--lf-muted, #888) transparent; scroll-snap-type: x mandatory; scroll-padding-inline: ${stripPadding}px; }
    .view { flex: 0 0 calc((100% - (var(--per-row) - 1) * ${tileGap}px) / var(--per-row)); box-sizing: border-box; scroll-snap-align: start;
      display: flex; flex-direction: column; background: var(--lf-panel-2, #8881); border-radius: 6px; padding: 4px 6px 6px; min-height: 0; min-width: 0; }
    .view > lf-view-card, dialog lf-view-card { flex: 1; min-height: 0; }
    .name { flex: 0 0 auto; font-size: 12px; font-weight: 600; display: flex; align-items: center; gap: 6px; margin-bottom: 2px; }
    .name .text { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    button.tool { font: inherit; font-weight: 400; font-size: 11px; display: inline-flex; align-items: center; gap: 3px; padding: 2px 5px; border-radius: 4px;
      border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    button.tool:hover { background: var(--lf-hover, #30363d); }
    .empty { color: var(--lf-muted, #888); font-size: 12px; padding: 8px; }
    dialog { width: min(1100px, 92vw); height: min(800px, 88vh); padding: 10px 14px 14px; box-sizing: border-box; border: 1px solid var(--lf-border, #444);
      border-radius: 10px; background: var(--lf-panel, #161b22); color: var(--lf-fg, #ccc); box-shadow: 0 8px 40px #0009; }
    dialog[open] { display: flex; flex-direction: column; }
    dialog::backdrop { background: #0008; }
    dialog .name { font-size: 15px; margin-bottom: 8px; }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('library') && this.library) void this.restoreHeight(this.library);
  }

  protected firstUpdated(): void {
    if (!this.strip) return;
    // Measured now as well as on every resize: the tiles share the right width from the first frame.
    this.stripWidth = this.strip.clientWidth;
    this.resize.observe(this.strip);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.strip) this.resize.observe(this.strip);
  }

  protected updated(): void {
    this.style.height = `${this.height}px`;
    // The dialog stays in the page (taking an open modal dialog out of a shadow root crashes Chromium here); its content comes and goes.
    if (this.popped && this.dialog && !this.dialog.open) this.dialog.showModal();
    else if (!this.popped && this.dialog?.open) this.dialog.close();
  }

  private async restoreHeight(library: Library): Promise<void> {
    const h = await getSetting<unknown>(library, viewsHeightSetting, null).catch(() => null);
    if (typeof h === 'number' && Number.isFinite(h) && !this.drag) this.height = this.clamp(h);
  }

  /** Sets the panel's height (kept within the window) and remembers it. */
  async setHeight(height: number): Promise<void> {
    this.height = this.clamp(height);
    if (this.library) await setSetting(this.library, viewsHeightSetting, this.height);
  }

  private clamp(h: number): number {
    const room = (this.parentElement?.clientHeight || window.innerHeight) - 120;
    return Math.round(Math.max(minHeight, Math.min(Math.max(minHeight, room), h)));
  }

  render() {
    const views = (this.doc?.nodes ?? []).filter((n) => n.kind.startsWith('view.'));
    const popped = this.popped && views.some((v) => v.id === this.popped) ? this.popped : null;
    return html`
      <div class="divider ${this.drag ? 'dragging' : ''}" role="separator" aria-orientation="horizontal" aria-label="Resize the views panel"
        aria-valuenow=${this.height} tabindex="0" title="Drag to resize the views (↑/↓ keys too)"
        @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove} @pointerup=${this.onPointerUp} @pointercancel=${this.onPointerUp}
        @keydown=${this.onKey}></div>
      <div class="strip" style="--per-row: ${tilesPerRow(this.stripWidth, this.height, views.length)}">
        ${views.length ? views.map((v) => this.tile(v.id)) : html`<div class="empty">Add a view node (right click → Views) to watch training here.</div>`}
      </div>
      <dialog @close=${() => (this.popped = null)} aria-label=${popped ? viewTitle(this.doc, this.catalog, popped) : 'view'}>${popped ? html`
        <div class="name"><span class="text">${this.titleOf(popped)}</span>
          <button class="tool" title="Save as PNG" @click=${() => void this.savePng(popped, true)}>${icon('download')} PNG</button>
          <button class="tool" title="Close (Esc)" aria-label="Close" @click=${() => this.dialog?.close()}>${icon('close')}</button></div>
        <lf-view-card data-popped=${popped} .run=${this.run} .doc=${this.doc} .catalog=${this.catalog} .viewNode=${popped}></lf-view-card>` : nothing}
      </dialog>`;
  }

  private titleOf(viewId: string): string {
    return viewTitle(this.doc, this.catalog, viewId);
  }

  private tile(id: string) {
    return html`<div class="view" data-view=${id}><div class="name"><span class="text" title=${id}>${this.titleOf(id)}</span>
        <button class="tool" data-action="pop-out" title="Show large" aria-label="Show large" @click=${() => (this.popped = id)}>${icon('expand')}</button>
        <button class="tool" title="Save as PNG (it carries the graph: drop it on latentflow to reopen)" @click=${() => void this.savePng(id)}>${icon('download')} PNG</button></div>
      <lf-view-card .run=${this.run} .doc=${this.doc} .catalog=${this.catalog} .viewNode=${id}></lf-view-card></div>`;
  }

  private onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    this.drag = { y: e.clientY, height: this.height };
    this.requestUpdate();
  };

  private onPointerMove = (e: PointerEvent) => {
    if (!this.drag) return;
    // The divider is the panel's top edge: dragging it up makes the panel taller.
    this.height = this.clamp(this.drag.height + this.drag.y - e.clientY);
  };

  private onPointerUp = () => {
    if (!this.drag) return;
    this.drag = null;
    void this.setHeight(this.height);
  };

  private onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    e.stopPropagation();
    void this.setHeight(this.height + (e.key === 'ArrowUp' ? 20 : -20));
  };

  private card(viewId: string, popped = false): LfViewCard | null {
    return this.shadowRoot?.querySelector<LfViewCard>(popped ? `dialog lf-view-card[data-popped="${CSS.escape(viewId)}"]` : `[data-view="${CSS.escape(viewId)}"] > lf-view-card`) ?? null;
  }

  /** A view as PNG bytes, drawn at twice its size on the theme's background, with the graph file embedded (null when the view draws no canvas). */
  async pngOf(viewId: string, popped = false): Promise<Uint8Array | null> {
    const canvas = await this.card(viewId, popped)?.snapshot(exportScale, viewTitle(this.doc, this.catalog, viewId));
    if (!canvas || !this.doc) return null;
    const embedded = embedGraphInPng(await canvasPng(canvas), saveGraph(this.doc));
    return embedded.ok ? embedded.value : null;
  }

  private async savePng(viewId: string, popped = false): Promise<void> {
    const bytes = await this.pngOf(viewId, popped);
    if (bytes && this.doc) download(fileNameFor(this.doc, `-${viewId}.png`), bytes, 'image/png');
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-views': LfViews }
}
