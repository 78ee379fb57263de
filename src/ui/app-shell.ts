import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { BehaviorSubject, type Subscription } from 'rxjs';
import { formatProblem, loadGraph, nothingToTrain, saveGraph, structureHash, validateGraph, type Catalog, type GraphDoc, type Problem } from '../graph';
import { createEditor, emptyDoc, type EditorCommand, type LatentEditor } from '../editor';
import type { Checkpoint, MetricsBatch, NamedWeights, Run } from '../runtime/types';
import type { WorkerRunOptions } from '../runtime/worker-client';
import {
  autosave, bundleExtension, exportGraphFile, fileNameFor, getSetting, graphLink, hasGraphLink, importBundle, lastGraphSetting,
  latestCheckpoint, loadGraphDoc, loadWeights, openLibrary, readDroppedFile, readGraphLink, saveCheckpoint, saveGraphDoc, saveRun,
  saveWeights, setSetting, StoreError, warmStartWeights, writeBundle, listRuns, listGraphs, getGraphRecord, saveGraphDocIfUnchanged, type Autosaver, type GraphRecord, type Library,
} from '../store';
import { download } from './downloads';
import { runtimeModule } from './runtime-lazy';
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
import { libraryChannel, type LibraryChannel, type SavedMessage } from './library-channel';
import type { ViewContext } from './node-preview';
import './node-preview';

/** What the app asks of a new run (a seed, weights or a checkpoint to start from, where checkpoints go): the Worker run's options. */
export type StartRunOptions = Pick<WorkerRunOptions, 'seed' | 'initialWeights' | 'startStep' | 'optimizerState' | 'history' | 'checkpointEvery' | 'onCheckpoint'>;
/** The library setting behind "keep weights across edits". */
const reuseWeightsSetting = 'reuseWeights';
/** The library setting that remembers whether the minimap is shown. */
const minimapSetting = 'minimap';
/** The library settings behind the chosen theme and "show the start screen at start". */
export const themeSetting = 'theme';
export const showStartSetting = 'showStartScreen';

/** Starts a run from graph file text: the run, or the problems that keep it from starting. */
export type StartRun = (docText: string, options?: StartRunOptions) => Promise<Run | { problems: Problem[] }>;
/** Preset graphs by name; each loads the file text. */
export type PresetSource = Record<string, () => Promise<string>>;

/** Presets fetched from `/graphs/<name>.json` (web-test-runner serves the repo root). */
export function fetchedPresets(names: readonly string[], base = '/graphs/'): PresetSource {
  return Object.fromEntries(names.map((n) => [n, async () => {
    const res = await fetch(`${base}${n}.json`);
    if (!res.ok) throw new Error(`${base}${n}.json: HTTP ${res.status}`);
    return res.text();
  }]));
}

/** The app: toolbar, editor, inspector, run controls, problems and views. */
@customElement('lf-app')
export class LfApp extends LitElement {
  @property({ attribute: false }) catalog: Catalog | null = null;
  @property({ attribute: false }) startRun: StartRun | null = null;
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
  /** The library (IndexedDB, or memory with a banner); set once started. */
  library: Library | null = null;
  /** The open graph's id in the library (null until it is first saved). */
  @state() graphId: string | null = null;
  /** Trained weights of the open graph for its current structure (restored, imported or from the last run). */
  trainedWeights: NamedWeights | null = null;
  @state() private trainedHash: string | null = null;
  /** The loss history of the run behind `trainedWeights` (the newest kept run, or checkpoint, of this structure). */
  private trainedHistory: MetricsBatch | null = null;
  /** The newest checkpoint of the open graph for its structure, offered as "Resume". */
  @state() resumable: Checkpoint | null = null;
  @state() banner = '';
  @state() libraryOpen = false;
  /** The last link made by "Copy link" (tests read it). */
  lastLink = '';
  private autosaver: Autosaver | null = null;
  private savedText = '';
  /** The open graph's text in the library as this page last read or wrote it (autosave checks it is still there). */
  private seenText: string | undefined;
  /** Saves announced to and heard from the other tabs on this library. */
  private channel: LibraryChannel | null = null;
  /** Another tab saved the open graph since this page read it: this page's edits are held, not written over it. */
  @state() conflict: GraphRecord | null = null;
  private runMeta: { id: string; graphId: string; hash: string; started: string; preview: boolean } | null = null;
  private persisting: Promise<void> = Promise.resolve();
  private loadingDoc = false;
  @state() doc: GraphDoc = emptyDoc();
  @state() problems: Problem[] = [];
  @state() selectedId: string | null = null;
  @state() run: Run | null = null;
  @state() private starting = false;
  @state() private seedsOpen = false;
  @state() private sweepOpen = false;
  /**
   * After a structural edit, Train starts from the last trained weights wherever a node keeps its
   * id and shapes (ARCHITECTURE §4 Reuse: an AE becomes a warm-started DAE); off: every Train starts afresh.
   */
  @state() reuseWeights = true;
  /** Set while "Compare seeds" trains: the main run controls wait. */
  @state() private comparing = false;
  /** The run the views keep showing while seeds are compared (the comparison's runs are not drawn there). */
  private shownRun: Run | null = null;
  /** Counts the graphs opened (a new one clears the seed comparison). */
  @state() private opened = 0;
  @state() private hint = '';
  @state() private helpOpen = false;
  @state() private dragging = false;
  @state() private runStateValue = 'idle';
  /** Whether the canvas shows its minimap (off until turned on; remembered in the library). */
  @state() minimapShown = false;
  @query('.canvas') private canvasEl!: HTMLElement;
  @query('input[type=file]') private fileInput!: HTMLInputElement;
  editor: LatentEditor | null = null;
  /** Resolves once the editor exists and the initial graph is open. */
  ready: Promise<void>;
  private markReady!: () => void;
  private subs: Subscription[] = [];
  private hintTimer = 0;
  private validateTimer = 0;
  /** The run and document the live views inside view nodes draw from (they follow a new run at once). */
  private viewContext$ = new BehaviorSubject<ViewContext>({ run: null, doc: null, catalog: null });

  constructor() {
    super();
    this.ready = new Promise((r) => (this.markReady = r));
  }

  static styles = css`
    :host { --lf-bg: #0d1117; --lf-panel: #161b22; --lf-panel-2: #21262d; --lf-fg: #c9d1d9; --lf-muted: #8b949e; --lf-border: #30363d;
      --lf-accent: #3fb950; --lf-accent-bg: #238636; --lf-error: #f85149; --lf-canvas: #0b0f14; --lf-grid: #30363d; --lf-input-bg: #0d1117; --lf-button: #21262d; --lf-hover: #30363d;
      display: grid; grid-template-rows: 44px 1fr; height: 100vh; min-height: 0; background: var(--lf-bg); color: var(--lf-fg);
      font: 13px system-ui, sans-serif; }
    :host([theme='light']) { --lf-bg: #f6f8fa; --lf-panel: #ffffff; --lf-panel-2: #eef1f4; --lf-fg: #1f2328; --lf-muted: #525b65; --lf-border: #c4ccd5;
      --lf-accent: #116329; --lf-accent-bg: #1a7f37; --lf-error: #c9252d;
      --lf-canvas: #fdfdfd; --lf-grid: #d0d7de; --lf-input-bg: #ffffff; --lf-button: #f3f4f6; --lf-hover: #eaeef2; }
    header { display: flex; align-items: center; gap: 6px; padding: 0 10px; background: var(--lf-panel); border-bottom: 1px solid var(--lf-border); min-width: 0; }
    header h1 { font-size: 15px; margin: 0 8px 0 0; }
    header .title { color: var(--lf-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 1; min-width: 0; }
    button, select { font: inherit; padding: 4px 8px; border-radius: 4px; border: 1px solid var(--lf-border); background: var(--lf-button); color: inherit; cursor: pointer; }
    main { display: grid; grid-template-columns: 1fr 330px; min-height: 0; }
    .left { display: grid; grid-template-rows: 1fr auto; grid-template-columns: minmax(0, 1fr); min-height: 0; min-width: 0; }
    .canvas { position: relative; overflow: hidden; background: var(--lf-canvas);
      background-image: radial-gradient(var(--lf-grid) 1px, transparent 1px); background-size: 24px 24px; outline: none; }
    .canvas.drop { outline: 3px dashed var(--lf-accent); outline-offset: -6px; }
    lf-views { background: var(--lf-panel); min-height: 0; }
    aside { background: var(--lf-panel); border-left: 1px solid var(--lf-border); overflow-y: auto; min-height: 0; }
    section { padding: 8px 10px; border-bottom: 1px solid var(--lf-border); }
    section h2 { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--lf-muted); margin: 0 0 6px; }
    button.fold { all: unset; cursor: pointer; font: inherit; color: inherit; text-transform: inherit; letter-spacing: inherit; }
    .hint { position: absolute; left: 50%; bottom: 14px; transform: translateX(-50%); background: var(--lf-panel-2); border: 1px solid var(--lf-border);
      padding: 6px 12px; border-radius: 6px; z-index: 10; max-width: 80%; box-shadow: 0 2px 8px #0006; }
    .help { position: absolute; right: 12px; top: 12px; z-index: 10; background: var(--lf-panel); border: 1px solid var(--lf-border); border-radius: 8px; padding: 10px 14px; box-shadow: 0 4px 16px #0008; }
    .help header { display: flex; justify-content: space-between; background: none; border: 0; padding: 0 0 6px; height: auto; }
    .spacer { flex: 1; }
    :host { grid-template-rows: 44px auto 1fr; }
    header { grid-row: 1; } main { grid-row: 3; }
    .banner { grid-row: 2; background: #d2992233; border-bottom: 1px solid var(--lf-border); padding: 4px 10px; }
    .banner button { padding: 0 6px; margin-left: 8px; }
    main { position: relative; }
    lf-library.drawer { position: absolute; left: 0; top: 0; bottom: 0; width: 300px; z-index: 20; background: var(--lf-panel); border-right: 1px solid var(--lf-border); box-shadow: 4px 0 16px #0006; }
    .resume-offer { margin-bottom: 6px; width: 100%; }
    .start-hint { position: absolute; left: 50%; top: 40%; transform: translate(-50%, -50%); max-width: 420px; text-align: center;
      color: var(--lf-muted); font-size: 15px; line-height: 1.5; pointer-events: none; }
    .start-hint b { color: var(--lf-fg); }
  `;

  render() {
    const node = this.doc.nodes.find((n) => n.id === this.selectedId) ?? null;
    const spec = node ? (this.catalog?.get(node.kind) ?? null) : null;
    const trainer = this.trainerNode();
    const seed = trainer && typeof trainer.params.seed === 'number' ? trainer.params.seed : null;
    const running = this.runState() === 'running' || this.runState() === 'paused';
    return html`
      <header>
        <h1>latentflow</h1>
        <button @click=${() => this.newGraph()} title="New empty graph">New</button>
        <button @click=${() => (this.libraryOpen = !this.libraryOpen)} title="Saved graphs and presets" aria-pressed=${this.libraryOpen}>Library</button>
        <button @click=${() => this.fileInput.click()} title="Open a .graph.json, .lflow bundle or latentflow PNG (or drop one on the page)">Open…</button>
        <button @click=${() => this.saveFile()} title="Download as .graph.json (Ctrl+S); edits are also saved in the library automatically">Save</button>
        <select aria-label="Share" @change=${(e: Event) => { const s = e.target as HTMLSelectElement; if (s.value) void this.share(s.value); s.value = ''; }}>
          <option value="">Share…</option>
          <option value="link">Copy link</option>
          <option value="bundle">Export model bundle (.lflow)</option>
          <option value="layers">Export Layers model (tfjs)</option>
          <option value="pytorch">Export PyTorch project (.zip)</option>
        </select>
        <select aria-label="Presets" @change=${(e: Event) => { const s = e.target as HTMLSelectElement; if (s.value) void this.openPreset(s.value); s.value = ''; }}>
          <option value="">Presets…</option>
          ${Object.keys(this.presets).map((n) => html`<option value=${n}>${n}</option>`)}
        </select>
        <span class="title" title=${this.doc.meta?.description ?? ''}>${this.doc.meta?.title ?? ''}</span>
        <button @click=${() => this.editor?.undo()} title="Undo (Ctrl+Z)" aria-label="Undo">${icon('undo')}</button>
        <button @click=${() => this.editor?.redo()} title="Redo (Ctrl+Y)" aria-label="Redo">${icon('redo')}</button>
        <button @click=${() => this.editor?.arrange()} title="Arrange (L)">Arrange</button>
        <button @click=${() => this.editor?.fitView()} title="Fit view (F)">Fit</button>
        <button @click=${() => this.editor?.setMinimap(!this.minimapShown)} title="Show or hide the minimap (M)" aria-pressed=${this.minimapShown}>Map</button>
        <button @click=${() => (this.helpOpen = !this.helpOpen)} title="Keyboard shortcuts (?)">?</button>
        <button @click=${() => this.toggleTheme()} title="Dark / light theme" aria-label="Switch to the ${this.theme === 'dark' ? 'light' : 'dark'} theme">${icon(this.theme === 'dark' ? 'sun' : 'moon')}</button>
        <input type="file" accept=".json,.lflow,.png,application/json,image/png" hidden @change=${(e: Event) => this.openFile((e.target as HTMLInputElement).files?.[0])} />
      </header>
      ${this.banner ? html`<div class="banner" role="alert">${this.banner} <button @click=${() => (this.banner = '')} aria-label="Dismiss">${icon('close')}</button></div>` : nothing}
      ${this.conflict ? html`<div class="banner conflict" role="alert">“${this.conflict.title}” was changed in another tab or window${this.editor && saveGraph(this.editor.getDoc()) !== this.seenText ? ', so your edits here are not saved over it' : ''}.
        <button class="load-theirs" @click=${() => void this.openSaved(this.conflict!.id)}>Load their version</button>
        <button class="fork-mine" @click=${() => void this.forkMine()}>Save mine as a copy</button></div>` : nothing}
      <main>
        ${this.libraryOpen ? html`<lf-library class="drawer" .library=${this.library} .presets=${Object.keys(this.presets)} .currentId=${this.graphId}
          @lf-open-graph=${(e: CustomEvent<{ id: string }>) => void this.openSaved(e.detail.id)}
          @lf-open-preset=${(e: CustomEvent<{ name: string }>) => void this.openPreset(e.detail.name)}
          @lf-copy-preset=${(e: CustomEvent<{ name: string }>) => void this.copyPreset(e.detail.name)}
          @lf-deleted=${(e: CustomEvent<{ id: string }>) => this.onDeleted(e.detail.id)}
          @lf-start=${() => { this.startOpen = true; this.libraryOpen = false; }}
          @lf-renamed=${(e: CustomEvent<{ id: string; title: string }>) => void this.onRenamed(e.detail.id, e.detail.title)}></lf-library>` : nothing}
        ${this.startOpen ? html`<lf-start-screen .presets=${this.presets} .catalog=${this.catalog} .showAtStart=${this.showStart}
          @lf-open-preset=${(e: CustomEvent<{ name: string }>) => { this.startOpen = false; void this.openPreset(e.detail.name); }}
          @lf-new-graph=${() => { this.startOpen = false; void this.newGraph(); }}
          @lf-open-file=${() => { this.startOpen = false; this.fileInput.click(); }}
          @lf-close-start=${() => (this.startOpen = false)}
          @lf-start-setting=${(e: CustomEvent<{ show: boolean }>) => { this.showStart = e.detail.show; if (this.library) void setSetting(this.library, showStartSetting, e.detail.show); }}></lf-start-screen>` : nothing}
        <div class="left">
          <div class="canvas ${this.dragging ? 'drop' : ''}" @dragover=${this.onDragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}>
            ${this.doc.nodes.length === 0 ? html`<div class="start-hint"><b>An empty graph.</b> Right-click the canvas to add a node
              (the palette is searchable), or pick a preset from <i>Presets…</i> above, or drop a graph file here.</div>` : nothing}
            ${this.hint ? html`<div class="hint" role="status">${this.hint}</div>` : nothing}
            ${this.helpOpen ? html`<div class="help"><header><b>Shortcuts</b><button @click=${() => (this.helpOpen = false)} aria-label="Close">${icon('close')}</button></header><lf-help></lf-help></div>` : nothing}
          </div>
          <lf-views .doc=${this.doc} .run=${this.comparing ? this.shownRun : this.run} .catalog=${this.catalog} .library=${this.library}></lf-views>
        </div>
        <aside>
          <section><h2>Run</h2>
            ${this.resumable && !running && this.resumable.epoch < (Number(trainer?.params.epochs) || Infinity) ? html`<button class="resume-offer" @click=${() => void this.resumeFromCheckpoint()}
              title="Continue training from the last checkpoint saved for this graph">Resume from epoch ${this.resumable.epoch}</button>` : nothing}
            <lf-run-controls .run=${this.run} .seed=${seed} .starting=${this.starting || this.comparing} .reuse=${this.reuseWeights}
              @lf-reuse=${(e: CustomEvent<{ reuse: boolean }>) => this.setReuseWeights(e.detail.reuse)} @lf-run=${(e: CustomEvent<{ action: RunAction }>) => this.onRunAction(e.detail.action)}
              @lf-seed=${(e: CustomEvent<{ seed: number }>) => trainer && this.editor?.setParam(trainer.id, 'seed', e.detail.seed)}></lf-run-controls></section>
          <section><h2><button class="fold" aria-expanded=${this.seedsOpen} @click=${() => (this.seedsOpen = !this.seedsOpen)}
              title="Train the graph once per seed and compare the results (mean ± std)">${this.seedsOpen ? '▾' : '▸'} Compare seeds</button></h2>
            ${this.seedsOpen ? html`<lf-seed-compare .startRun=${(s: number) => this.seedRun(s)} .firstSeed=${seed ?? 1} .graphKey=${this.opened}
              .metricNodes=${this.doc.nodes.filter((n) => this.catalog?.get(n.kind)?.category === 'metric').map((n) => n.id)}
              .names=${Object.fromEntries(this.doc.nodes.map((n) => [n.id, this.catalog?.get(n.kind)?.title ?? n.id]))}
              @lf-seeds-done=${() => this.seedsDone()}></lf-seed-compare>` : nothing}</section>
          <section><h2><button class="fold" aria-expanded=${this.sweepOpen} @click=${() => (this.sweepOpen = !this.sweepOpen)}
              title="Train the graph for each value of a param (× seeds) and compare (mean ± std per value)">${this.sweepOpen ? '▾' : '▸'} Sweep</button></h2>
            ${this.sweepOpen ? html`<lf-sweep .startRun=${(text: string, s: number) => this.seedRun(s, text)} .doc=${this.doc} .catalog=${this.catalog} .firstSeed=${seed ?? 1}
              .metricNodes=${this.doc.nodes.filter((n) => this.catalog?.get(n.kind)?.category === 'metric').map((n) => n.id)}
              @lf-sweep-done=${() => this.seedsDone()}></lf-sweep>` : nothing}</section>
          <section><h2>Inspector</h2>
            <lf-inspector .node=${node} .spec=${spec} .running=${running} @lf-param=${(e: CustomEvent<ParamChange>) => this.onParam(e.detail)}></lf-inspector></section>
          <section><h2>Problems (${this.problems.length})</h2>
            <lf-problems .problems=${this.problems} @lf-select-node=${(e: CustomEvent<{ nodeId: string }>) => this.editor?.select(e.detail.nodeId)}></lf-problems></section>
        </aside>
      </main>`;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('run') || changed.has('doc') || changed.has('catalog')) this.viewContext$.next({ run: this.run, doc: this.doc, catalog: this.catalog });
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
      ed.docChanged$.subscribe((doc) => this.onDoc(doc)),
      ed.selection$.subscribe((id) => (this.selectedId = id)),
      ed.hints$.subscribe((h) => this.showHint(h)),
      ed.commands$.subscribe((c) => this.onCommand(c)),
      ed.minimap$.subscribe((shown) => {
        this.minimapShown = shown;
        if (this.library) void setSetting(this.library, minimapSetting, shown).catch(() => undefined);
      }),
    );
    await this.openStore();
    if (this.library && (await getSetting(this.library, minimapSetting, false).catch(() => false))) ed.setMinimap(true);
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('hashchange', this.onHashChange);
    if (!(await this.openStartupGraph())) {
      if (this.initial && this.presets[this.initial]) await this.openPreset(this.initial);
      else await this.openDocument(emptyDoc(), []);
      // A first visit (nothing in the library yet) opens on the start screen, unless it was turned off.
      if (this.welcome && this.library && this.showStart) this.startOpen = (await listGraphs(this.library).catch(() => [])).length === 0;
    }
    this.markReady();
  }

  /** Opens the library; a blocked or newer database, or no storage, is shown and the app keeps working in memory. */
  private async openStore(): Promise<void> {
    try {
      this.library = await openLibrary({ name: this.dbName, onClosed: () => (this.banner = 'The library was closed by another latentflow tab; reload this page to keep saving.') });
    } catch (e) {
      this.banner = e instanceof StoreError ? e.problem.message : `The library could not be opened: ${(e as Error).message}`;
      this.library = await openLibrary({ name: this.dbName, indexedDB: null });
      if (this.banner) this.banner += ' Until then nothing is kept.';
      return;
    }
    if (!this.library.persistent) this.banner = this.library.notice ?? 'Nothing will be kept after you close this page.';
    else this.channel = libraryChannel(this.dbName, (m) => void this.onSavedElsewhere(m));
    this.reuseWeights = await getSetting(this.library, reuseWeightsSetting, true).catch(() => true);
    this.showStart = await getSetting(this.library, showStartSetting, true).catch(() => true);
    const theme = await getSetting<unknown>(this.library, themeSetting, null).catch(() => null);
    if (theme === 'light' || theme === 'dark') this.applyTheme(theme);
  }

  /** A `#g=` link, or the graph open last time: true when one was opened. */
  private async openStartupGraph(): Promise<boolean> {
    if (hasGraphLink(location.hash)) return this.openLink(location.hash);
    if (!this.library) return false;
    const last = await getSetting<string | null>(this.library, lastGraphSetting, null).catch(() => null);
    return last ? this.openSaved(last) : false;
  }

  /** Opens the graph carried by a `#g=...` link (not saved until edited). */
  async openLink(hash: string): Promise<boolean> {
    if (!this.catalog) return false;
    const { doc, problems } = readGraphLink(hash, this.catalog);
    history.replaceState(null, '', location.pathname + location.search);
    if (!doc) {
      // An edit's pending validation would replace this list with the open graph's problems.
      clearTimeout(this.validateTimer);
      this.problems = problems;
      this.showHint(`Could not open the link: ${problems[0]?.message ?? 'no graph'}`);
      return false;
    }
    await this.openDocument(doc, problems);
    return true;
  }

  /** Opens a graph from the library with its trained weights and newest checkpoint. */
  async openSaved(id: string): Promise<boolean> {
    if (!this.library || !this.catalog) return false;
    const r = await loadGraphDoc(this.library, id, this.catalog);
    if (!r.ok || !r.value.doc) {
      this.showHint(`Could not open the saved graph: ${r.ok ? r.value.problems[0]?.message : r.problem.message}`);
      return false;
    }
    this.seenText = r.value.record.text;
    await this.openDocument(r.value.doc, r.value.problems, id);
    await setSetting(this.library, lastGraphSetting, id);
    return true;
  }

  /**
   * Puts a document in the editor: saves what is pending for the graph open before, ends its run
   * (keeping its weights), then looks up the new graph's weights and checkpoint when it is saved.
   */
  private async openDocument(doc: GraphDoc, problems: Problem[], id: string | null = null, weights: NamedWeights | null = null): Promise<void> {
    if (!this.editor) return;
    this.startOpen = false; // whatever opened a graph (a dropped file, the Presets menu, a link) answers the start screen
    await this.autosaver?.flush();
    this.autosaver?.dispose();
    this.autosaver = null;
    await this.disposeRun();
    this.conflict = null;
    this.opened++;
    this.graphId = id;
    this.trainedWeights = null;
    this.trainedHash = null;
    this.trainedHistory = null;
    this.resumable = null;
    await this.loadQuietly(doc);
    this.problems = problems;
    this.editor.showProblems(problems);
    this.startAutosave();
    if (weights) {
      this.trainedWeights = weights;
      this.trainedHash = structureHash(this.doc, this.catalog!);
    } else await this.lookUpSaved();
    if (this.trainedWeights) await this.previewTrained();
  }

  private startAutosave(): void {
    if (!this.library) return;
    this.autosaver = autosave(this.library, {
      ...(this.graphId ? { id: this.graphId } : {}),
      delayMs: this.autosaveDelay,
      ...(this.graphId ? { seenText: this.seenText } : {}),
      onConflict: (theirs) => (this.conflict = theirs),
      onSaved: (record) => {
        this.channel?.announce({ graphId: record.id, text: record.text });
        this.graphId = record.id;
        this.savedText = record.text;
        this.seenText = record.text;
        void this.shadowRoot?.querySelector<LfLibrary>('lf-library')?.refresh();
      },
      onProblem: (problem) => this.showHint(`Not saved: ${problem.message}`),
    });
  }

  /** The saved weights and newest checkpoint for the open graph's current structure. */
  private async lookUpSaved(): Promise<void> {
    if (!this.library || !this.graphId || !this.catalog) return;
    const hash = structureHash(this.doc, this.catalog);
    if (!hash) return;
    const [weights, checkpoint, runs] = await Promise.all([
      loadWeights(this.library, this.graphId, hash).catch(() => null),
      latestCheckpoint(this.library, this.graphId, hash).catch(() => null),
      listRuns(this.library, this.graphId).catch(() => []),
    ]);
    this.trainedWeights = weights;
    this.trainedHash = weights ? hash : null;
    this.resumable = checkpoint;
    // The run history is part of what was kept: the loss curve and a bundle's metrics show it again.
    const kept = runs.find((r) => r.structureHash === hash && r.history.steps.length > 0)?.history ?? checkpoint?.history;
    this.trainedHistory = weights && kept?.steps.length ? kept : null;
  }

  /** An idle run holding the trained weights, so the views show the trained model without training. */
  private async previewTrained(): Promise<void> {
    if (!this.startRun || !this.trainedWeights) return;
    await this.startNewRun({ initialWeights: this.trainedWeights, ...(this.trainedHistory ? { history: this.trainedHistory } : {}) }, true);
  }

  /** Saves the open graph now (creating it in the library if needed); its id. */
  async saveNow(): Promise<string | null> {
    if (!this.library || !this.editor) return null;
    await this.autosaver?.flush();
    if (this.graphId && saveGraph(this.editor.getDoc()) === this.savedText) return this.graphId;
    const doc = this.editor.getDoc();
    const r = this.graphId && this.seenText !== undefined
      ? await saveGraphDocIfUnchanged(this.library, doc, this.graphId, this.seenText)
      : await saveGraphDoc(this.library, doc, this.graphId ?? undefined);
    if (!r.ok && 'theirs' in r) { this.conflict = r.theirs as GraphRecord; return this.graphId; }
    if (!r.ok) { this.showHint(`Not saved: ${r.problem.message}`); return this.graphId; }
    const fresh = this.graphId !== r.value.id;
    this.channel?.announce({ graphId: r.value.id, text: r.value.text });
    this.graphId = r.value.id;
    this.savedText = r.value.text;
    this.seenText = r.value.text;
    this.autosaver?.adopt(r.value.text);
    if (fresh) {
      this.autosaver?.dispose();
      this.startAutosave();
      await setSetting(this.library, lastGraphSetting, r.value.id);
    }
    return this.graphId;
  }

  private onPageHide = () => void this.autosaver?.flush();

  /** Another tab saved a graph: if it is the one open here, say so now (this tab's saves are held). */
  private async onSavedElsewhere(m: SavedMessage): Promise<void> {
    if (!this.library || m.graphId !== this.graphId || m.text === this.seenText || this.conflict) return;
    const theirs = await getGraphRecord(this.library, m.graphId).catch(() => null);
    if (theirs && m.graphId === this.graphId && theirs.text !== this.seenText) this.conflict = theirs;
  }
  private onHashChange = () => { if (hasGraphLink(location.hash)) void this.openLink(location.hash); };

  private async copyPreset(name: string): Promise<void> {
    if (!this.library || !this.catalog) return;
    const { doc } = loadGraph(await this.presets[name]!(), this.catalog);
    if (!doc) return this.showHint(`Could not copy preset ${name}`);
    doc.meta = { ...doc.meta, title: `${doc.meta?.title ?? name} (copy)` };
    const r = await saveGraphDoc(this.library, doc);
    if (!r.ok) return this.showHint(`Not saved: ${r.problem.message}`);
    await this.openSaved(r.value.id);
    void this.shadowRoot?.querySelector<LfLibrary>('lf-library')?.refresh();
  }

  private onDeleted(id: string): void {
    if (id !== this.graphId) return;
    // The open graph stays open, unsaved: the next edit saves it anew; Undo brings the old one back.
    this.autosaver?.dispose();
    this.autosaver = null;
    this.graphId = null;
    this.savedText = '';
    this.startAutosave();
  }

  private async onRenamed(id: string, title: string): Promise<void> {
    if (id !== this.graphId || !this.editor) return;
    const doc = this.editor.getDoc();
    doc.meta = { ...doc.meta, title };
    await this.loadQuietly(doc);
    // The library rewrote the saved text with the new title: that is the text this page now knows.
    const record = await getGraphRecord(this.library!, id).catch(() => null);
    if (record) { this.seenText = record.text; this.autosaver?.adopt(record.text); }
  }

  /** After a conflict with another tab: this page's document becomes a new graph, theirs stays as it is. */
  private async forkMine(): Promise<void> {
    if (!this.library || !this.editor || !this.conflict) return;
    const doc = this.editor.getDoc();
    doc.meta = { ...doc.meta, title: `${doc.meta?.title?.trim() || this.conflict.title} (copy)` };
    const r = await saveGraphDoc(this.library, doc);
    if (!r.ok) return this.showHint(`Not saved: ${r.problem.message}`);
    await this.openSaved(r.value.id);
    void this.shadowRoot?.querySelector<LfLibrary>('lf-library')?.refresh();
  }

  /** Loads a document into the editor without counting it as an edit to autosave. */
  private async loadQuietly(doc: GraphDoc): Promise<void> {
    this.loadingDoc = true;
    try {
      await this.editor!.loadDoc(doc);
    } finally {
      this.loadingDoc = false;
    }
    this.doc = this.editor!.getDoc();
    this.savedText = saveGraph(this.doc);
  }

  /** Share menu: a link, a model bundle or a Layers model. */
  async share(what: string): Promise<void> {
    if (!this.editor) return;
    const doc = this.editor.getDoc();
    if (what === 'link') {
      const link = graphLink(doc);
      if (!link.ok) {
        this.problems = [...this.problems.filter((p) => p.path !== 'link'), { ...link.problem, path: 'link' }];
        return this.showHint(link.problem.message);
      }
      this.lastLink = `${location.origin}${location.pathname}${link.value}`;
      try {
        await navigator.clipboard.writeText(this.lastLink);
        this.showHint('Link copied: it holds the graph (not the trained weights)');
      } catch {
        this.showHint(`Copy this link: ${this.lastLink}`);
      }
      return;
    }
    const weights = await this.currentWeights();
    if (!weights) return this.showHint('Train the model first: there are no trained weights to export');
    if (what === 'bundle') {
      const fromRun = this.run?.history();
      const metrics = fromRun?.steps.length ? fromRun : (this.trainedHistory ?? (this.library && this.graphId ? (await listRuns(this.library, this.graphId))[0]?.history : undefined));
      const bytes = writeBundle({ doc, weights, metrics, ...(this.trainedHash ? { structureHash: this.trainedHash } : {}) });
      download(fileNameFor(doc, bundleExtension), bytes, 'application/zip');
      return;
    }
    if (what === 'pytorch') return this.exportPytorchZip(doc, weights);
    if (what === 'layers') {
      const rt = await runtimeModule();
      const c = rt.compile(doc, this.catalog as Parameters<typeof rt.compile>[1]);
      if (!c.ok) return this.showHint(c.problems[0]?.message ?? 'the graph does not compile');
      const models = rt.exportLayersModels(c.plan, weights);
      if (!('decoder' in models)) return this.showHint(`Cannot export: ${models.message}`);
      const base = fileNameFor(doc, '');
      try {
        // tfjs's browser-downloads handler (model.json + weights.bin) behind its `downloads://` scheme.
        await models.encoder.save(`downloads://${base}-encoder`);
        await models.decoder.save(`downloads://${base}-decoder`);
        this.showHint('Exported encoder and decoder (model.json + weights.bin each); tf.loadLayersModel reads them');
      } finally {
        models.encoder.dispose();
        models.decoder.dispose();
      }
    }
  }

  /** Share → PyTorch project: model.py, data.py, train.py, the trained weights and the data, zipped in one folder. */
  private async exportPytorchZip(doc: GraphDoc, weights: NamedWeights): Promise<void> {
    const rt = await runtimeModule();
    const c = rt.compile(doc, this.catalog as Parameters<typeof rt.compile>[1]);
    if (!c.ok) return this.showHint(c.problems[0]?.message ?? 'the graph does not compile');
    const { fetchIO } = await import('../runtime/io-fetch');
    const { zipSync } = await import('fflate');
    const epochs = this.run?.history().epochs.at(-1);
    const result = await rt.exportPytorch(c.plan, { io: fetchIO(this.dataBase), weights, ...(epochs === undefined ? {} : { trainedEpochs: epochs + 1 }) })
      .catch((e: unknown) => ({ ok: false as const, problems: [{ severity: 'error' as const, path: '', message: e instanceof Error ? e.message : String(e) }] }));
    if (!result.ok) return this.showHint(`Cannot export to PyTorch: ${result.problems[0]?.message ?? 'unknown problem'}`);
    const folder = fileNameFor(doc, '-pytorch');
    download(`${folder}.zip`, zipSync(Object.fromEntries(result.files.map((f) => [`${folder}/${f.path}`, f.bytes]))), 'application/zip');
    this.showHint('Exported a PyTorch project: unzip it and run `python train.py --resume` (see its README)');
  }

  /** The trained weights of the open graph: from the run, else the saved ones. */
  private async currentWeights(): Promise<NamedWeights | null> {
    const run = this.run;
    if (run && (this.runMeta?.preview === false || this.trainedWeights === null)) {
      const w = await run.getWeights().catch(() => null);
      if (w && Object.keys(w).length) return w;
    }
    return this.trainedWeights;
  }

  /** Opens a file by its content: a graph file, a `.lflow` bundle (imported with its weights) or a PNG with a graph. */
  async openBytes(name: string, bytes: Uint8Array): Promise<boolean> {
    if (!this.catalog || !this.editor) return false;
    const read = await readDroppedFile(name, bytes, this.catalog);
    if (read.kind === 'graph') return this.openLoaded(read.result, name);
    if (!read.result.ok) {
      this.problems = read.result.problems;
      this.showHint(`Could not open ${name}: ${read.result.problems[0]?.message ?? 'not a model bundle'}`);
      return false;
    }
    if (!this.library) return false;
    const imported = await importBundle(this.library, bytes, this.catalog);
    if (!imported.ok) {
      this.problems = imported.problems;
      this.showHint(`Could not import ${name}: ${imported.problems[0]?.message ?? ''}`);
      return false;
    }
    await this.openSaved(imported.record.id);
    void this.shadowRoot?.querySelector<LfLibrary>('lf-library')?.refresh();
    return true;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('hashchange', this.onHashChange);
    // The last save is still announced to the other tabs; then the channel closes.
    void (this.autosaver?.flush() ?? Promise.resolve()).finally(() => { this.autosaver?.dispose(); this.channel?.close(); });
    for (const s of this.subs) s.unsubscribe();
    this.editor?.destroy();
    void this.run?.dispose();
  }

  /** Opens graph file text; problems that keep it from opening are listed, the current graph stays. */
  async openText(text: string, name = 'file'): Promise<boolean> {
    if (!this.catalog || !this.editor) return false;
    return this.openLoaded(loadGraph(text, this.catalog), name);
  }

  /** Opens a loaded graph; when it could not be read, its problems are listed and the current graph stays. */
  private async openLoaded({ doc, problems }: { doc: GraphDoc | null; problems: Problem[] }, name: string): Promise<boolean> {
    if (!doc) {
      // An edit's pending validation would replace this list with the open graph's problems.
      clearTimeout(this.validateTimer);
      this.problems = problems;
      this.showHint(`Could not open ${name}: ${problems[0]?.message ?? 'not a graph file'}`);
      return false;
    }
    await this.openDocument(doc, problems);
    return true;
  }

  async openPreset(name: string): Promise<void> {
    try {
      await this.openText(await this.presets[name]!(), name);
    } catch (e) {
      this.showHint(`Could not load preset ${name}: ${(e as Error).message}`);
    }
  }

  private async newGraph(): Promise<void> {
    await this.openDocument(emptyDoc(), []);
  }

  private async openFile(file: File | undefined): Promise<void> {
    if (!file) return;
    if (file.size > 300_000_000) return this.showHint(`${file.name} is too big for a graph file or model bundle`);
    await this.openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
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

  private saveFile(): void {
    if (!this.editor) return;
    const doc = this.editor.getDoc();
    doc.meta = { ...doc.meta, modified: new Date().toISOString() };
    const file = exportGraphFile(doc);
    download(file.name, file.text, 'application/json');
    void this.saveNow();
  }

  private onDoc(doc: GraphDoc): void {
    this.doc = doc;
    if (!this.loadingDoc && saveGraph(doc) !== this.savedText) this.autosaver?.edited(doc);
    clearTimeout(this.validateTimer);
    this.validateTimer = window.setTimeout(() => {
      if (!this.catalog) return;
      this.problems = validateGraph(this.doc, this.catalog).problems;
      this.editor?.showProblems(this.problems);
    }, 120);
  }

  private onParam(change: ParamChange): void {
    const issues = this.editor?.setParam(change.nodeId, change.name, change.value) ?? [];
    if (issues.length) return this.showHint(issues[0]!.message);
    if (change.live && this.run) {
      const refused = this.run.setParam(change.nodeId, change.name, change.value);
      if (refused) this.showHint(refused.message);
    }
  }

  private onCommand(c: EditorCommand): void {
    if (c === 'save') this.saveFile();
    else if (c === 'help') this.helpOpen = !this.helpOpen;
    else if (c === 'run-toggle') {
      const s = this.runState();
      void this.onRunAction(s === 'running' || s === 'loading' ? 'pause' : s === 'paused' ? 'resume' : 'train');
    }
  }

  private runState(): string {
    return this.runStateValue;
  }

  private async onRunAction(action: RunAction): Promise<void> {
    try {
      if (action === 'pause') return void (await this.run?.pause());
      if (action === 'resume') return this.run?.resume();
      if (action === 'stop') return void (await this.run?.stop());
      if (!this.trainerNode()) return this.showHint(nothingToTrain[0]!.toUpperCase() + nothingToTrain.slice(1));
      const state = this.runStateValue;
      if (!this.run || this.runMeta?.preview || state === 'done' || state === 'stopped' || state === 'failed') {
        if (!(await this.startNewRun())) return;
      }
      if (action === 'train') await this.run!.start();
      else await this.run!.step(1);
    } catch (e) {
      this.showHint(`Run: ${(e as Error).message}`);
    }
  }

  private setReuseWeights(reuse: boolean): void {
    this.reuseWeights = reuse;
    if (this.library) void setSetting(this.library, reuseWeightsSetting, reuse);
  }

  /** A run of the open graph with another seed, for a seed comparison (the main run makes way). */
  private async seedRun(seed: number, text?: string): Promise<Run | string> {
    if (!this.startRun || !this.editor) return 'training is not available here (no worker)';
    if (!this.comparing) this.shownRun = this.run;
    this.comparing = true;
    await this.disposeRun();
    const result = await this.startRun(text ?? saveGraph(this.editor.getDoc()), { seed });
    if ('status$' in result) return result;
    const errors = result.problems.filter((p) => p.severity === 'error');
    return errors.length ? errors.map(formatProblem).join('; ') : 'the graph cannot run';
  }

  /** A seed comparison ended: the views show the trained model again. */
  private seedsDone(): void {
    this.comparing = false;
    this.shownRun = null;
    void this.previewTrained();
  }

  /** Continues training from the newest checkpoint of this graph's structure. */
  async resumeFromCheckpoint(): Promise<void> {
    const cp = this.resumable;
    if (!cp) return;
    const resume = { initialWeights: cp.weights, startStep: cp.step, optimizerState: cp.optimizer, history: cp.history };
    if (await this.startNewRun(resume)) await this.run!.start().catch((e: Error) => this.showHint(`Run: ${e.message}`));
  }

  /**
   * Starts a run of the open graph (saved first, so its weights and checkpoints have a place).
   * A `preview` run only holds trained weights for the views; Train replaces it with a fresh run.
   */
  private async startNewRun(options: StartRunOptions = {}, preview = false): Promise<boolean> {
    if (!this.startRun || !this.editor) {
      if (!preview) this.showHint('Training is not available here (no worker)');
      return false;
    }
    await this.disposeRun();
    const doc = this.editor.getDoc();
    const graphId = preview ? this.graphId : await this.saveNow();
    const hash = this.catalog ? structureHash(doc, this.catalog) : null;
    const meta = graphId && hash ? { id: `${graphId}/${Date.now().toString(36)}`, graphId, hash, started: new Date().toISOString(), preview } : null;
    const epochs = Number(this.trainerNode()?.params.epochs) || 100;
    const warmFrom = this.trainerNode()?.params.warmStartFrom;
    if (!preview && !options.initialWeights && typeof warmFrom === 'string' && warmFrom.trim() && this.library) {
      const warm = await warmStartWeights(this.library, warmFrom);
      if (typeof warm === 'string') this.showHint(warm);
      else options = { ...options, initialWeights: warm.weights };
    }
    // The weights trained before a structural edit carry over where they still fit.
    const reused = !preview && !options.initialWeights && this.reuseWeights && !!this.trainedWeights && !!hash && !!this.trainedHash && this.trainedHash !== hash;
    if (reused) options = { ...options, initialWeights: this.trainedWeights! };
    this.starting = true;
    try {
      const result = await this.startRun(saveGraph(doc), {
        ...options,
        ...(meta && !preview ? {
          checkpointEvery: Math.max(1, Math.round(epochs / 10)),
          onCheckpoint: (cp: Checkpoint) => this.keepCheckpoint(meta, cp),
        } : {}),
      });
      if ('problems' in result && !('status$' in result)) {
        this.problems = result.problems;
        this.editor.showProblems(result.problems);
        this.showHint('The graph cannot run yet: see Problems');
        return false;
      }
      const run = result as Run;
      this.run = run;
      this.subs.push(run.events$.subscribe((e) => {
        if (e.type === 'warm-start' && reused) {
          this.showHint(`The structure changed: ${e.loaded.length} trained weights carried over${e.skipped.length ? `, ${e.skipped.length} changed shape` : ''}; the rest start fresh (untick "keep weights" to start all afresh)`);
        } else if (e.type === 'warm-start' && preview) {
          if (e.loaded.length) this.showHint('Trained weights restored from the library');
        } else if (e.type === 'warm-start') this.showHint(`Warm start: ${e.loaded.length} weights loaded${e.skipped.length ? `, ${e.skipped.length} skipped (other shapes)` : ''}`);
        if (e.type === 'optimizer-state' && !e.restored) this.showHint(`Resumed with a fresh optimizer: its saved state does not fit (${e.reason})`);
        if (e.type === 'backend-fallback') this.showHint(`The ${e.from} backend failed (${e.reason}); training continues on ${e.to}`);
      }));
      this.runMeta = meta ? { ...meta, preview } : null;
      this.runStateValue = 'idle';
      if (meta && !preview) void run.finished.then((status) => { this.persisting = this.persisting.then(() => this.keepRun(run, meta, status.state)); });
      this.subs.push(run.status$.subscribe((s) => {
        if (this.run === run) this.runStateValue = s.state;
      }));
      return true;
    } finally {
      this.starting = false;
    }
  }

  private async disposeRun(): Promise<void> {
    const run = this.run;
    const state = this.runStateValue;
    if (run && !this.runMeta?.preview && (state === 'running' || state === 'paused' || state === 'loading')) {
      // Stopping saves its weights and run history (run.finished) before the Worker goes.
      await run.stop().catch(() => undefined);
      await run.finished;
    }
    await this.persisting;
    this.run = null;
    this.runMeta = null;
    this.runStateValue = 'idle';
    if (run) await run.dispose().catch(() => undefined);
  }

  private async keepCheckpoint(meta: { id: string; graphId: string; hash: string }, cp: Checkpoint): Promise<void> {
    if (!this.library) return;
    const r = await saveCheckpoint(this.library, { graphId: meta.graphId, runId: meta.id, structureHash: meta.hash }, cp, 2);
    if (!r.ok) this.showHint(`Checkpoint not saved: ${r.problem.message}`);
    else if (meta.graphId === this.graphId) this.resumable = cp;
  }

  /** A run ended: its trained weights and history go to the library. */
  private async keepRun(run: Run, meta: { id: string; graphId: string; hash: string; started: string }, state: string): Promise<void> {
    if (!this.library) return;
    const weights = await run.getWeights().catch(() => null);
    if (weights && Object.keys(weights).length) {
      const w = await saveWeights(this.library, meta.graphId, meta.hash, weights);
      if (!w.ok) this.showHint(`Trained weights not saved: ${w.problem.message}`);
      if (meta.graphId === this.graphId) { this.trainedWeights = weights; this.trainedHash = meta.hash; }
    }
    const trainer = this.trainerNode();
    await saveRun(this.library, {
      id: meta.id, graphId: meta.graphId, structureHash: meta.hash, started: meta.started, status: state,
      ...(typeof trainer?.params.seed === 'number' ? { seed: trainer.params.seed } : {}),
      ...(run.backend ? { backend: run.backend } : {}),
      history: run.history(),
    });
  }

  /** Resolves when the last ended run's weights and history are in the library (tests). */
  get saved(): Promise<void> {
    return this.persisting;
  }

  private trainerNode() {
    return this.doc.nodes.find((n) => this.catalog?.get(n.kind)?.category === 'train') ?? null;
  }

  private toggleTheme(): void {
    this.applyTheme(this.theme === 'dark' ? 'light' : 'dark');
    if (this.library) void setSetting(this.library, themeSetting, this.theme);
  }

  private applyTheme(theme: 'dark' | 'light'): void {
    this.theme = theme;
    document.documentElement.dataset.theme = theme;
  }

  private showHint(text: string): void {
    this.hint = text;
    clearTimeout(this.hintTimer);
    this.hintTimer = window.setTimeout(() => (this.hint = ''), 4000);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'lf-app': LfApp }
}

