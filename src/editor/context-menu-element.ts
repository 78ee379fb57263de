import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { searchMenu, type MenuHit, type MenuItem } from './palette';

/** A rectangle the menu stays inside (the canvas, so it never goes under the views panel). */
export interface MenuBounds { left: number; top: number; right: number; bottom: number }

// Inside the menu the user clicks, scrolls and right-clicks: none of it may reach the canvas below.
const keep = (e: Event) => e.stopPropagation();

/**
 * The context menu (replaces the lit plugin's `rete-context-menu`): on the canvas the palette (a
 * search field, focused on opening, that lists matching NODES, and the categories with their kinds
 * in fly-outs), on a node its actions. In the app's theme and font; kept inside `bounds()`: the menu
 * and a fly-out shift up or left, or the fly-out opens to the left, where they would overflow.
 */
@customElement('lf-context-menu')
export class LfContextMenu extends LitElement {
  @property({ attribute: false }) items: MenuItem[] = [];
  @property({ attribute: false }) searchBar = false;
  @property({ attribute: false }) onHide: () => void = () => undefined;
  /** Milliseconds the menu stays after the pointer leaves it. */
  @property({ attribute: false }) delay = 0;
  @property({ attribute: false }) bounds: (() => MenuBounds) | null = null;
  @state() query = '';
  /** The category whose fly-out is open. */
  @state() open: string | null = null;
  /** The search hit Enter picks. */
  @state() active = 0;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  static override styles = css`
    :host { font: inherit; color: var(--lf-fg, CanvasText); }
    .menu, .flyout { box-sizing: border-box; width: 200px; padding: 4px; background: var(--lf-panel, Canvas); color: var(--lf-fg, CanvasText);
      border: 1px solid var(--lf-border, GrayText); border-radius: 6px; box-shadow: 0 4px 16px #0006; }
    .menu { position: relative; margin: 2px 0 0 2px; }
    .flyout { position: absolute; left: calc(100% - 4px); top: 0; }
    .flyout.flip { left: auto; right: calc(100% - 4px); }
    input { font: inherit; width: 100%; box-sizing: border-box; margin-bottom: 4px; padding: 4px 6px; border-radius: 4px;
      border: 1px solid var(--lf-border, GrayText); background: var(--lf-input-bg, Field); color: inherit; }
    input::placeholder { color: var(--lf-muted, GrayText); opacity: 1; }
    .row { all: unset; box-sizing: border-box; display: flex; justify-content: space-between; gap: 8px; width: 100%; padding: 4px 8px;
      border-radius: 4px; cursor: pointer; line-height: 1.35; position: relative; }
    .row:hover, .row.open, .row.active, .row:focus-visible { background: var(--lf-hover, Highlight); }
    .row .group, .row .more, .empty { color: var(--lf-muted, GrayText); }
    .row .group { font-size: 11px; white-space: nowrap; align-self: center; }
    .empty { padding: 4px 8px; }
    .hits { overflow-y: auto; }
  `;

  private hits(): MenuHit[] {
    return this.query.trim() ? searchMenu(this.items, this.query) : [];
  }

  private pick(item: MenuItem): void {
    item.handler();
    this.onHide();
  }

  private onKey(e: KeyboardEvent): void {
    e.stopPropagation(); // typing here is not a canvas shortcut
    const hits = this.hits();
    if (e.key === 'Escape') this.onHide();
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length) this.active = (this.active + (e.key === 'ArrowDown' ? 1 : hits.length - 1)) % hits.length;
    } else if (e.key === 'Enter' && hits[this.active]) this.pick(hits[this.active]!.item);
  }

  private leave(): void {
    // A typed search stays until Escape, a pick or a click elsewhere.
    if (!this.query.trim()) this.hideTimer = setTimeout(() => this.onHide(), this.delay);
  }

  // A node's menu has no search field to hold the focus: Escape anywhere closes it (the palette's field stops its own).
  private readonly onWindowKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') this.onHide();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onWindowKey);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.hideTimer);
    window.removeEventListener('keydown', this.onWindowKey);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Opened again (new items): a fresh search, no fly-out.
    if (changed.has('items')) Object.assign(this, { query: '', open: null, active: 0 });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('items')) this.renderRoot.querySelector('input')?.focus({ preventScroll: true });
    this.keepInside();
  }

  /** Shifts the menu (then an open fly-out) back inside the bounds and the window; a fly-out with no room on the right opens on the left. */
  private keepInside(): void {
    const outer = this.bounds?.() ?? { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
    const b = { left: Math.max(outer.left, 0), top: Math.max(outer.top, 0), right: Math.min(outer.right, innerWidth), bottom: Math.min(outer.bottom, innerHeight) };
    const shift = (el: HTMLElement) => {
      const r = el.getBoundingClientRect();
      return { x: Math.max(b.left - r.left, Math.min(0, b.right - r.right)), y: Math.max(b.top - r.top, Math.min(0, b.bottom - r.bottom)) };
    };
    const menu = this.renderRoot.querySelector<HTMLElement>('.menu');
    if (!menu) return;
    menu.style.transform = '';
    // Search results scroll when there are more than the canvas can show (the categories always fit).
    const hits = this.renderRoot.querySelector<HTMLElement>('.hits');
    if (hits) hits.style.maxHeight = `${Math.max(60, b.bottom - b.top - (menu.offsetHeight - hits.offsetHeight) - 4)}px`;
    const m = shift(menu);
    menu.style.transform = `translate(${m.x}px, ${m.y}px)`;
    const fly = this.renderRoot.querySelector<HTMLElement>('.flyout');
    if (!fly) return;
    fly.classList.remove('flip');
    fly.style.transform = '';
    if (fly.getBoundingClientRect().right > b.right) fly.classList.add('flip');
    fly.style.transform = `translateY(${shift(fly).y}px)`;
  }

  private row(item: MenuItem, group = '', active = false) {
    return html`<button class="row ${active ? 'active' : ''}" role="menuitem" @click=${() => this.pick(item)}>
      <span>${item.label}</span>${group ? html`<span class="group">${group}</span>` : nothing}</button>`;
  }

  private category(item: MenuItem) {
    const open = this.open === item.key;
    return html`<div style="position: relative" @pointerenter=${() => { this.open = item.key; }}>
      <button class="row ${open ? 'open' : ''}" role="menuitem" aria-haspopup="menu" aria-expanded=${open}
        @click=${() => { this.open = open ? null : item.key; }}><span>${item.label}</span><span class="more" aria-hidden="true">▸</span></button>
      ${open ? html`<div class="flyout" role="menu">${item.subitems!.map((sub) => this.row(sub))}</div>` : nothing}
    </div>`;
  }

  private list() {
    if (!this.query.trim()) return this.items.map((item) => (item.subitems ? this.category(item) : this.row(item)));
    const hits = this.hits();
    if (!hits.length) return html`<div class="empty">No node matches “${this.query.trim()}”.</div>`;
    return html`<div class="hits">${hits.map((h, i) => this.row(h.item, h.group, i === this.active))}</div>`;
  }

  override render() {
    return html`<div class="menu" role="menu" data-testid="context-menu"
        @pointerdown=${keep} @wheel=${keep} @contextmenu=${(e: Event) => { e.preventDefault(); e.stopPropagation(); }}
        @pointerenter=${() => clearTimeout(this.hideTimer)} @pointerleave=${() => this.leave()}>
      ${this.searchBar ? html`<input type="search" placeholder="Search nodes…" aria-label="Search node kinds" .value=${this.query}
        @input=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; this.active = 0; }} @keydown=${(e: KeyboardEvent) => this.onKey(e)}>` : nothing}
      ${this.list()}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-context-menu': LfContextMenu }
}
