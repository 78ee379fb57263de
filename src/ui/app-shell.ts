import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { BehaviorSubject, type Subscription } from 'rxjs';
import type { Catalog, GraphDoc, Problem } from '../graph';
import { createEditor, type EditorCommand, type LatentEditor, type NoteSweepRequest } from '../editor';
import type { Checkpoint, NamedWeights, Run } from '../runtime/types';
import { getSetting, listGraphs, setSetting, type GraphRecord, type Library } from '../store';
import { fetchedPresets, presetTitles, type AppHost, type PresetSource, type StartRun, type StartSeeds } from './app-host';
import { appStyles } from './app-styles';
import { GraphDocument } from './graph-document';
import { RunSession } from './run-session';
import { Sharing } from './sharing';
import type { LfLibrary } from './library-drawer';
import './library-drawer';
import type { ParamChange } from './inspector';
import type { RunAction } from './run-controls';
import './inspector';
import './problems-list';
import './run-controls';
import './help-panel';
import './views-panel';
import './sweep-panel';
import './start-screen';
import { icon } from './icons';
import type { ViewContext } from './node-preview';
import './node-preview';

export { fetchedPresets, type PresetSource, type StartRun, type StartRunOptions, type StartSeeds } from './app-host';

/** The library setting that remembers whether the minimap is shown. */
const minimapSetting = 'minimap';
/** The library settings behind the chosen theme and "show the start screen at start". */
export const themeSetting = 'theme';
export const showStartSetting = 'showStartScreen';

/**
 * The app: toolbar, editor, inspector, run controls, problems and views. What it does is in three
 * Lit reactive controllers: the open graph and its library (`document`), the run session (`session`)
 * and the Share menu (`sharing`); the element draws them and keeps the chrome (theme, hints, help).
 */
@customElement('lf-app')
export class LfApp extends LitElement implements AppHost {
  @property({ attribute: false }) catalog: Catalog | null = null;
  @property({ attribute: false }) startRun: StartRun | null = null;
  /** Trains a seed comparison's seeds as one program where the graph allows (null: one after another). */
  @property({ attribute: false }) startSeeds: StartSeeds | null = null;
  /** Where the datasets are served from (what the PyTorch export copies into its project). */
  @property({ attribute: false }) dataBase = '/';
  @property({ attribute: false }) presets: PresetSource = fetchedPresets(['font-ae']);
  /** The preset opened at start ('' for an empty graph). */
  @property() initial = 'font-ae';
  @property({ reflect: true }) theme: 'dark' | 'light' = 'dark';
  /** The page (not a test) greets a first visit with the start screen. */
  @property({ type: Boolean }) welcome = false;
  /** The start screen is shown. */
  @state() startOpen = false;
  @state() private showStart = true;
  /** The library database's name (tests give each app its own). */
  @property({ attribute: 'db-name' }) dbName = 'latentflow';
  /** Milliseconds after the last edit before the open graph is saved. */
  @property({ type: Number, attribute: false }) autosaveDelay = 500;
  @state() banner = '';
  @state() libraryOpen = false;
  @state() problems: Problem[] = [];
  @state() selectedId: string | null = null;
  @state() private seedsOpen = false;
  @state() private sweepOpen = false;
  @state() private hint = '';
  /** Each preset's title by name (its name until its file is read). */
  @state() private presetTitles: Record<string, string> = {};
  @state() private helpOpen = false;
  @state() private dragging = false;
  /** Whether the canvas shows its minimap (off until turned on; remembered in the library). */
  @state() minimapShown = false;
  @query('.canvas') private canvasEl!: HTMLElement;
  @query('input[type=file]') private fileInput!: HTMLInputElement;
  editor: LatentEditor | null = null;
  readonly document: GraphDocument = new GraphDocument(this);
  readonly session: RunSession = new RunSession(this);
  readonly sharing: Sharing = new Sharing(this);
  /** Resolves once the editor exists and the initial graph is open. */
  ready: Promise<void>;
  private markReady!: () => void;
  private subs: Subscription[] = [];
  private hintTimer = 0;
  /** The run and document the live views inside view nodes draw from (they follow a new run at once). */
  private viewContext$ = new BehaviorSubject<ViewContext>({ run: null, doc: null, catalog: null });

  constructor() {
    super();
    this.ready = new Promise((r) => (this.markReady = r));
  }

  static styles = appStyles;

  // The app's surface for the page, the scripts and the tests: the controllers' state, read here.
  get doc(): GraphDoc { return this.document.doc; }
  get library(): Library | null { return this.document.library; }
  get graphId(): string | null { return this.document.graphId; }
  get conflict(): GraphRecord | null { return this.document.conflict; }
  get run(): Run | null { return this.session.run; }
  get trainedWeights(): NamedWeights | null { return this.session.trainedWeights; }
  get resumable(): Checkpoint | null { return this.session.resumable; }
  get reuseWeights(): boolean { return this.session.reuseWeights; }
  /** Resolves when the last ended run's weights and history are in the library (tests). */
  get saved(): Promise<void> { return this.session.saved; }
  /** The last link made by "Copy link" (tests read it). */
  get lastLink(): string { return this.sharing.lastLink; }
  openText(text: string, name?: string): Promise<boolean> { return this.document.openText(text, name); }
  openBytes(name: string, bytes: Uint8Array): Promise<boolean> { return this.document.openBytes(name, bytes); }
  openPreset(name: string): Promise<void> { return this.document.openPreset(name); }
  saveNow(): Promise<string | null> { return this.document.saveNow(); }
  share(what: string): Promise<void> { return this.sharing.share(what); }

  render() {
    const node = this.doc.nodes.find((n) => n.id === this.selectedId) ?? null;
    const spec = node ? (this.catalog?.get(node.kind) ?? null) : null;
    const { document: graph, session } = this;
    const trainer = session.trainer();
    const seed = trainer && typeof trainer.params.seed === 'number' ? trainer.params.seed : null;
    const running = session.active;
    return html`
      <header>
        <h1>latentflow</h1>
        <button @click=${() => void graph.openEmpty()} title="New empty graph">New</button>
        <button @click=${() => (this.libraryOpen = !this.libraryOpen)} title="Saved graphs and presets" aria-pressed=${this.libraryOpen}>Library</button>
        <button @click=${() => this.fileInput.click()} title="Open a .graph.json, .lflow bundle or latentflow PNG (or drop one on the page)">Open…</button>
        <button @click=${() => graph.saveFile()} title="Download as .graph.json (Ctrl+S); edits are also saved in the library automatically">Save</button>
        <select aria-label="Share" @change=${(e: Event) => { const s = e.target as HTMLSelectElement; if (s.value) void this.share(s.value); s.value = ''; }}>
          <option value="">Share…</option>
          <option value="link">Copy link</option>
          <option value="bundle">Export model bundle (.lflow)</option>
          <option value="layers">Export Layers model (tfjs)</option>
          <option value="pytorch">Export PyTorch project (.zip)</option>
        </select>
        <select aria-label="Presets" @change=${(e: Event) => { const s = e.target as HTMLSelectElement; if (s.value) void graph.openPreset(s.value); s.value = ''; }}>
          <option value="">Presets…</option>
          ${Object.keys(this.presets).map((n) => html`<option value=${n}>${this.presetTitles[n] ?? n}</option>`)}
        </select>
        <span class="title" title=${this.doc.meta?.description ?? ''}>${this.doc.meta?.title ?? ''}</span>
        <button @click=${() => this.editor?.undo()} title="Undo (Ctrl+Z)" aria-label="Undo">${icon('undo')}</button>
        <button @click=${() => this.editor?.redo()} title="Redo (Ctrl+Y)" aria-label="Redo">${icon('redo')}</button>
        <button @click=${() => this.editor?.arrange()} title="Arrange (L)">Arrange</button>
        <button @click=${() => this.editor?.fitView()} title="Fit view (F)">Fit</button>
        <button @click=${() => this.editor?.setMinimap(!this.minimapShown)} title="Show or hide the minimap (M)" aria-pressed=${this.minimapShown}>Map</button>
        <button @click=${() => (this.helpOpen = !this.helpOpen)} title="Keyboard shortcuts (?)">?</button>
        <button @click=${() => this.toggleTheme()} title="Dark / light theme" aria-label="Switch to the ${this.theme === 'dark' ? 'light' : 'dark'} theme">${icon(this.theme === 'dark' ? 'sun' : 'moon')}</button>
        <input type="file" accept=".json,.lflow,.png,application/json,image/png" hidden @change=${(e: Event) => void this.openFile((e.target as HTMLInputElement).files?.[0])} />
      </header>
      ${this.banner ? html`<div class="banner" role="alert">${this.banner} <button @click=${() => (this.banner = '')} aria-label="Dismiss">${icon('close')}</button></div>` : nothing}
      ${graph.conflict ? html`<div class="banner conflict" role="alert">“${graph.conflict.title}” was changed in another tab or window${graph.editsHeld() ? ', so your edits here are not saved over it' : ''}.
        <button class="load-theirs" @click=${() => void graph.openSaved(graph.conflict!.id)}>Load their version</button>
        <button class="fork-mine" @click=${() => void graph.forkMine()}>Save mine as a copy</button></div>` : nothing}
      <main>
        ${this.libraryOpen ? html`<lf-library class="drawer" .library=${graph.library} .presets=${Object.keys(this.presets)} .presetTitles=${this.presetTitles} .currentId=${graph.graphId}
          @lf-open-graph=${(e: CustomEvent<{ id: string }>) => void graph.openSaved(e.detail.id)}
          @lf-open-preset=${(e: CustomEvent<{ name: string }>) => void graph.openPreset(e.detail.name)}
          @lf-copy-preset=${(e: CustomEvent<{ name: string }>) => void graph.copyPreset(e.detail.name)}
          @lf-deleted=${(e: CustomEvent<{ id: string }>) => graph.onDeleted(e.detail.id)}
          @lf-start=${() => { this.startOpen = true; this.libraryOpen = false; }}
          @lf-renamed=${(e: CustomEvent<{ id: string; title: string }>) => void graph.onRenamed(e.detail.id, e.detail.title)}></lf-library>` : nothing}
        ${this.startOpen ? html`<lf-start-screen .presets=${this.presets} .catalog=${this.catalog} .showAtStart=${this.showStart}
          @lf-open-preset=${(e: CustomEvent<{ name: string }>) => { this.startOpen = false; void graph.openPreset(e.detail.name); }}
          @lf-new-graph=${() => { this.startOpen = false; void graph.openEmpty(); }}
          @lf-open-file=${() => { this.startOpen = false; this.fileInput.click(); }}
          @lf-close-start=${() => (this.startOpen = false)}
          @lf-start-setting=${(e: CustomEvent<{ show: boolean }>) => { this.showStart = e.detail.show; if (graph.library) void setSetting(graph.library, showStartSetting, e.detail.show); }}></lf-start-screen>` : nothing}
        <div class="left">
          <div class="canvas ${this.dragging ? 'drop' : ''}" @dragover=${this.onDragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}
            @lf-note-sweep=${(e: CustomEvent<NoteSweepRequest>) => void this.sweepFromNote(e.detail.spec)}>
            ${this.doc.nodes.length === 0 ? html`<div class="start-hint"><b>An empty graph.</b> Right-click the canvas to add a node
              (the palette is searchable), or pick a preset from <i>Presets…</i> above, or drop a graph file here.</div>` : nothing}
            ${this.hint ? html`<div class="hint" role="status">${withCode(this.hint)}</div>` : nothing}
            ${this.helpOpen ? html`<div class="help"><header><b>Shortcuts</b><button @click=${() => (this.helpOpen = false)} aria-label="Close">${icon('close')}</button></header><lf-help></lf-help></div>` : nothing}
          </div>
          <lf-views .doc=${graph.doc} .run=${session.viewedRun} .catalog=${this.catalog} .library=${graph.library}></lf-views>
        </div>
        <aside>
          <section><h2>Run</h2>
            ${session.resumable && !running && session.resumable.epoch < (Number(trainer?.params.epochs) || Infinity) ? html`<button class="resume-offer" @click=${() => void session.resumeFromCheckpoint()}
              title="Continue training from the last checkpoint saved for this graph">Resume from epoch ${session.resumable.epoch}</button>` : nothing}
            <lf-run-controls .run=${session.run} .seed=${seed} .starting=${session.starting || session.comparing} .reuse=${session.reuseWeights}
              @lf-reuse=${(e: CustomEvent<{ reuse: boolean }>) => session.setReuseWeights(e.detail.reuse)} @lf-run=${(e: CustomEvent<{ action: RunAction }>) => session.act(e.detail.action)}
              @lf-seed=${(e: CustomEvent<{ seed: number }>) => trainer && this.editor?.setParam(trainer.id, 'seed', e.detail.seed)}></lf-run-controls></section>
          <section><h2><button class="fold" aria-expanded=${this.seedsOpen} @click=${() => (this.seedsOpen = !this.seedsOpen)}
              title="Train the graph once per seed and compare the results (mean ± std)">${this.seedsOpen ? '▾' : '▸'} Compare seeds</button></h2>
            ${this.seedsOpen ? html`<lf-seed-compare .startRun=${(s: number) => session.seedRun(s)}
              .startSeeds=${this.startSeeds ? (seeds: number[], o: Parameters<StartSeeds>[2]) => session.seedsTogether(seeds, o) : null} .firstSeed=${seed ?? 1} .graphKey=${graph.opened}
              .metricNodes=${this.metricNodes}
              .names=${this.nodeTitles}
              @lf-seeds-done=${() => session.seedsDone()}></lf-seed-compare>` : nothing}</section>
          <section><h2><button class="fold" aria-expanded=${this.sweepOpen} @click=${() => (this.sweepOpen = !this.sweepOpen)}
              title="Train the graph for each value of a param (× seeds) and compare (mean ± std per value)">${this.sweepOpen ? '▾' : '▸'} Sweep</button></h2>
            ${this.sweepOpen ? html`<lf-sweep .startRun=${(text: string, s: number) => session.seedRun(s, text)} .doc=${graph.doc} .catalog=${this.catalog} .firstSeed=${seed ?? 1} .graphKey=${graph.opened}
              .metricNodes=${this.metricNodes}
              .names=${this.nodeTitles}
              @lf-sweep-done=${() => session.seedsDone()}></lf-sweep>` : nothing}</section>
          <section><h2>Inspector</h2>
            <lf-inspector .node=${node} .spec=${spec} .running=${running} @lf-param=${(e: CustomEvent<ParamChange>) => this.onParam(e.detail)}></lf-inspector></section>
          <section><h2>Problems (${this.problems.length})</h2>
            <lf-problems .problems=${this.problems} @lf-select-node=${(e: CustomEvent<{ nodeId: string }>) => this.editor?.select(e.detail.nodeId)}></lf-problems></section>
        </aside>
      </main>`;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('presets')) {
      const presets = this.presets;
      void presetTitles(presets).then((titles) => { if (this.presets === presets) this.presetTitles = titles; });
    }
    const now = { run: this.session.run, doc: this.document.doc, catalog: this.catalog };
    const last = this.viewContext$.value;
    if (now.run !== last.run || now.doc !== last.doc || now.catalog !== last.catalog) this.viewContext$.next(now);
  }

  protected async firstUpdated(): Promise<void> {
    if (!this.catalog) throw new Error('lf-app needs a catalog of node kinds');
    const ed = await createEditor(this.canvasEl, this.catalog, {
      keyTarget: window,
      minimapShown: false,
      renderPreview: (id) => html`<lf-node-preview .context=${this.viewContext$} .viewNode=${id}></lf-node-preview>`,
    });
    this.editor = ed;
    this.subs.push(
      ed.docChanged$.subscribe((doc) => this.document.edited(doc)),
      ed.selection$.subscribe((id) => (this.selectedId = id)),
      ed.hints$.subscribe((h) => this.showHint(h)),
      ed.commands$.subscribe((c) => this.onCommand(c)),
      ed.minimap$.subscribe((shown) => {
        this.minimapShown = shown;
        if (this.library) void setSetting(this.library, minimapSetting, shown).catch(() => undefined);
      }),
    );
    await this.document.openStore();
    if (this.library) await this.readSettings(this.library);
    if (this.library && (await getSetting(this.library, minimapSetting, false).catch(() => false))) ed.setMinimap(true);
    this.document.listen();
    if (!(await this.document.openStartupGraph())) {
      if (this.initial && this.presets[this.initial]) await this.document.openPreset(this.initial);
      else await this.document.openEmpty();
      // A first visit (nothing in the library yet) opens on the start screen, unless it was turned off.
      if (this.welcome && this.library && this.showStart) this.startOpen = (await listGraphs(this.library).catch(() => [])).length === 0;
    }
    this.markReady();
  }

  /** The open graph's metric nodes (what Compare seeds and Sweep evaluate at the end of each run). */
  private get metricNodes(): string[] {
    return this.doc.nodes.filter((n) => this.catalog?.get(n.kind)?.category === 'metric').map((n) => n.id);
  }

  /** Each node's title by id (how the comparisons name a metric). */
  private get nodeTitles(): Record<string, string> {
    return Object.fromEntries(this.doc.nodes.map((n) => [n.id, this.catalog?.get(n.kind)?.title ?? n.id]));
  }

  /** A comment's sweep button (its `lf-note-sweep` event): opens the Sweep panel on that sweep and runs it. */
  async sweepFromNote(spec: string): Promise<void> {
    this.sweepOpen = true;
    await this.updateComplete;
    const panel = this.renderRoot.querySelector('lf-sweep');
    if (!panel) return;
    panel.spec = spec;
    await panel.sweep();
  }

  /** The settings kept in the library: keep weights across edits, the start screen, the theme. */
  private async readSettings(library: Library): Promise<void> {
    await this.session.readSettings(library);
    this.showStart = await getSetting(library, showStartSetting, true).catch(() => true);
    const theme = await getSetting<unknown>(library, themeSetting, null).catch(() => null);
    if (theme === 'light' || theme === 'dark') this.applyTheme(theme);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const s of this.subs) s.unsubscribe();
    this.editor?.destroy();
  }

  /** The library drawer lists the graphs again (one was saved, imported or copied). */
  refreshLibrary(): void {
    void this.shadowRoot?.querySelector<LfLibrary>('lf-library')?.refresh();
  }

  private async openFile(file: File | undefined): Promise<void> {
    if (!file) return;
    await this.document.openFile(file);
    this.fileInput.value = '';
  }

  private onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = true;
  };

  private onDrop = (e: DragEvent) => {
    e.preventDefault();
    this.dragging = false;
    void this.openFile(e.dataTransfer?.files[0]);
  };

  private onParam(change: ParamChange): void {
    const issues = this.editor?.setParam(change.nodeId, change.name, change.value) ?? [];
    if (issues.length) return this.showHint(issues[0]!.message);
    this.session.setLiveParam(change);
  }

  private onCommand(c: EditorCommand): void {
    if (c === 'save') this.document.saveFile();
    else if (c === 'help') this.helpOpen = !this.helpOpen;
    else if (c === 'dismiss') this.helpOpen = false;
    else if (c === 'run-toggle') void this.session.toggle();
  }

  private toggleTheme(): void {
    this.applyTheme(this.theme === 'dark' ? 'light' : 'dark');
    if (this.library) void setSetting(this.library, themeSetting, this.theme);
  }

  private applyTheme(theme: 'dark' | 'light'): void {
    this.theme = theme;
    document.documentElement.dataset.theme = theme;
  }

  showHint(text: string): void {
    this.hint = text;
    clearTimeout(this.hintTimer);
    this.hintTimer = window.setTimeout(() => (this.hint = ''), 4000);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-app': LfApp }
}

/** A message with `code` in backticks, shown as code (the backticks are not shown). */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 ? html`<code>${part}</code>` : part));
}
