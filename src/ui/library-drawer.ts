import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { icon } from './icons';
import { deleteGraph, duplicateGraph, listGraphs, renameGraph, searchGraphs, undoDelete, type GraphSummary, type Library } from '../store';

/** Events the drawer sends to the app. */
export interface LibraryEvents {
  'lf-open-graph': { id: string };
  'lf-open-preset': { name: string };
  /** "Save as": a read-only preset copied into the library. */
  'lf-copy-preset': { name: string };
  'lf-deleted': { id: string };
  'lf-renamed': { id: string; title: string };
  'lf-restored': { id: string };
  /** Show the start screen (presets as cards, new graph, open a file). */
  'lf-start': Record<string, never>;
}

/** The library drawer: saved graphs (newest first) and presets; search, rename, duplicate, delete with undo. */
@customElement('lf-library')
export class LfLibrary extends LitElement {
  @property({ attribute: false }) library: Library | null = null;
  @property({ attribute: false }) presets: string[] = [];
  /** The presets' titles by name (app-host.ts `presetTitles`). */
  @property({ attribute: false }) presetTitles: Record<string, string> = {};
  @property({ attribute: false }) currentId: string | null = null;
  @state() graphs: GraphSummary[] = [];
  @state() private query = '';
  @state() private renaming: string | null = null;
  /** The last delete, undoable until the next one. */
  @state() undo: { token: string; title: string } | null = null;
  @state() private message = '';
  private undoTimer = 0;

  static styles = css`
    :host { display: flex; flex-direction: column; gap: 6px; padding: 8px; box-sizing: border-box; font-size: 12px; overflow: hidden; }
    input { font: inherit; width: 100%; box-sizing: border-box; padding: 4px 6px; background: var(--lf-input-bg, #0d1117); color: inherit; border: 1px solid var(--lf-border, #444); border-radius: 4px; }
    h3 { font-size: 11px; text-transform: uppercase; color: var(--lf-muted, #888); margin: 6px 0 2px; }
    ul { list-style: none; margin: 0; padding: 0; overflow-y: auto; }
    li { display: flex; align-items: center; gap: 4px; padding: 3px 4px; border-radius: 4px; }
    li.current { background: var(--lf-panel-2, #8882); }
    li .name { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: pointer; }
    li .when { color: var(--lf-muted, #888); font-size: 10px; }
    button { font: inherit; font-size: 11px; padding: 1px 5px; border-radius: 4px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer; }
    .toast { display: flex; gap: 8px; align-items: center; background: var(--lf-panel-2, #8883); padding: 6px 8px; border-radius: 6px; }
    .empty, .message { color: var(--lf-muted, #888); }
    .lists { flex: 1; min-height: 0; overflow-y: auto; }
    button.start { font-size: 12px; padding: 5px 8px; display: flex; align-items: center; gap: 6px; }
  `;

  connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  protected willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('library')) void this.refresh();
  }

  /** Reloads the list (after saves elsewhere). */
  async refresh(): Promise<void> {
    if (!this.library) { this.graphs = []; return; }
    this.graphs = this.query.trim() ? await searchGraphs(this.library, this.query) : await listGraphs(this.library);
  }

  render() {
    const title = (p: string) => this.presetTitles[p] ?? p;
    const presets = this.presets.filter((p) => !this.query.trim() || this.query.toLowerCase().split(/\s+/).every((w) => `${p} ${title(p)}`.toLowerCase().includes(w)));
    // Graphs of one title (a preset opened and edited twice saves two) tell themselves apart by their time.
    const titles = new Map<string, number>();
    for (const g of this.graphs) titles.set(g.title, (titles.get(g.title) ?? 0) + 1);
    return html`
      <button class="start" data-action="start" @click=${() => this.send('lf-start', {})}>${icon('home')} Start screen: presets, new, open…</button>
      <input type="search" placeholder="Search graphs…" aria-label="Search graphs" .value=${this.query}
        @input=${(e: Event) => { this.query = (e.target as HTMLInputElement).value; void this.refresh(); }} />
      ${this.undo ? html`<div class="toast" role="status">Deleted “${this.undo.title}”. <button data-action="undo" @click=${() => this.undoLast()}>Undo</button></div>` : nothing}
      ${this.message ? html`<div class="message" role="alert">${this.message}</div>` : nothing}
      <div class="lists">
        <h3>Saved graphs</h3>
        ${this.graphs.length ? html`<ul>${this.graphs.map((g) => this.savedItem(g, titles.get(g.title)! > 1))}</ul>` : html`<div class="empty">${this.query ? 'no saved graph matches' : 'nothing saved yet: edits are saved automatically'}</div>`}
        <h3>Presets (read-only)</h3>
        <ul>${presets.map((p) => html`<li data-preset=${p}>
          <span class="name" @click=${() => this.send('lf-open-preset', { name: p })} title="Open the preset">${title(p)}</span>
          <button data-action="save-as" @click=${() => this.send('lf-copy-preset', { name: p })} title="Copy into the library to edit">Save as…</button></li>`)}</ul>
      </div>`;
  }

  private savedItem(g: GraphSummary, sameTitle: boolean) {
    if (this.renaming === g.id) {
      return html`<li data-id=${g.id}><input aria-label="New title" .value=${g.title}
        @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') void this.rename(g.id, (e.target as HTMLInputElement).value); if (e.key === 'Escape') this.renaming = null; }}
        @blur=${(e: Event) => void this.rename(g.id, (e.target as HTMLInputElement).value)} /></li>`;
    }
    return html`<li data-id=${g.id} class=${g.id === this.currentId ? 'current' : ''}>
      <span class="name" title=${`Open ${g.title}`} @click=${() => this.send('lf-open-graph', { id: g.id })}>${g.title}</span>
      <span class="when" title=${`saved ${new Date(g.updated).toLocaleString()}`}>${sameTitle
        ? new Date(g.updated).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' }) : new Date(g.updated).toLocaleDateString()}</span>
      <button data-action="rename" title="Rename" aria-label="Rename" @click=${() => (this.renaming = g.id)}>${icon('edit')}</button>
      <button data-action="duplicate" title="Duplicate (with trained weights)" aria-label="Duplicate" @click=${() => this.duplicate(g.id)}>${icon('duplicate')}</button>
      <button data-action="delete" title="Delete (undo possible)" aria-label="Delete" @click=${() => this.deleteItem(g)}>${icon('trash')}</button>
    </li>`;
  }

  /** Renames a saved graph (tests call it too). */
  async rename(id: string, title: string): Promise<void> {
    if (this.renaming !== id && this.renaming !== null) return;
    this.renaming = null;
    if (!this.library) return;
    const r = await renameGraph(this.library, id, title);
    this.message = r.ok ? '' : r.problem.message;
    if (r.ok) this.send('lf-renamed', { id, title: r.value.title });
    await this.refresh();
  }

  async duplicate(id: string): Promise<void> {
    if (!this.library) return;
    const r = await duplicateGraph(this.library, id);
    this.message = r.ok ? '' : r.problem.message;
    await this.refresh();
  }

  /** Deletes a saved graph and offers Undo. */
  async deleteItem(g: GraphSummary): Promise<void> {
    if (!this.library) return;
    const r = await deleteGraph(this.library, g.id);
    if (!r.ok) { this.message = r.problem.message; return; }
    this.message = '';
    this.undo = { token: r.value, title: g.title };
    clearTimeout(this.undoTimer);
    this.undoTimer = window.setTimeout(() => (this.undo = null), 15_000);
    this.send('lf-deleted', { id: g.id });
    await this.refresh();
  }

  async undoLast(): Promise<void> {
    if (!this.library || !this.undo) return;
    const r = await undoDelete(this.library, this.undo.token);
    this.undo = null;
    if (!r.ok) { this.message = r.problem.message; return; }
    this.send('lf-restored', { id: r.value.id });
    await this.refresh();
  }

  private send<K extends keyof LibraryEvents>(type: K, detail: LibraryEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-library': LfLibrary }
}
