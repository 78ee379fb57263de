import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Subscription } from 'rxjs';
import { loadGraph, saveGraph, validateGraph, type Catalog, type GraphDoc, type Problem } from '../graph';
import { createEditor, emptyDoc, type EditorCommand, type LatentEditor } from '../editor';
import type { Run } from '../runtime/types';
import type { ParamChange } from './inspector';
import type { RunAction } from './run-controls';
import './inspector';
import './problems-list';
import './run-controls';
import './help-panel';
import './views-panel';

/** Starts a run from graph file text: the run, or the problems that keep it from starting. */
export type StartRun = (docText: string) => Promise<Run | { problems: Problem[] }>;
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
  @property({ attribute: false }) presets: PresetSource = fetchedPresets(['font-ae']);
  /** The preset opened at start ('' for an empty graph). */
  @property() initial = 'font-ae';
  @property({ reflect: true }) theme: 'dark' | 'light' = 'dark';
  @state() doc: GraphDoc = emptyDoc();
  @state() problems: Problem[] = [];
  @state() selectedId: string | null = null;
  @state() run: Run | null = null;
  @state() private starting = false;
  @state() private hint = '';
  @state() private helpOpen = false;
  @state() private dragging = false;
  @state() private runStateValue = 'idle';
  @query('.canvas') private canvasEl!: HTMLElement;
  @query('input[type=file]') private fileInput!: HTMLInputElement;
  editor: LatentEditor | null = null;
  /** Resolves once the editor exists and the initial graph is open. */
  ready: Promise<void>;
  private markReady!: () => void;
  private subs: Subscription[] = [];
  private hintTimer = 0;
  private validateTimer = 0;

  constructor() {
    super();
    this.ready = new Promise((r) => (this.markReady = r));
  }

  static styles = css`
    :host { --lf-bg: #0d1117; --lf-panel: #161b22; --lf-panel-2: #21262d; --lf-fg: #c9d1d9; --lf-muted: #8b949e; --lf-border: #30363d;
      --lf-accent: #3fb950; --lf-accent-bg: #238636; --lf-canvas: #0b0f14; --lf-grid: #30363d; --lf-input-bg: #0d1117; --lf-button: #21262d; --lf-hover: #30363d;
      display: grid; grid-template-rows: 44px 1fr; height: 100vh; min-height: 0; background: var(--lf-bg); color: var(--lf-fg);
      font: 13px system-ui, sans-serif; }
    :host([theme='light']) { --lf-bg: #f6f8fa; --lf-panel: #ffffff; --lf-panel-2: #eaeef2; --lf-fg: #1f2328; --lf-muted: #59636e; --lf-border: #d0d7de;
      --lf-canvas: #fdfdfd; --lf-grid: #d0d7de; --lf-input-bg: #ffffff; --lf-button: #f3f4f6; --lf-hover: #eaeef2; }
    header { display: flex; align-items: center; gap: 6px; padding: 0 10px; background: var(--lf-panel); border-bottom: 1px solid var(--lf-border); min-width: 0; }
    header h1 { font-size: 15px; margin: 0 8px 0 0; }
    header .title { color: var(--lf-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 1; min-width: 0; }
    button, select { font: inherit; padding: 4px 8px; border-radius: 4px; border: 1px solid var(--lf-border); background: var(--lf-button); color: inherit; cursor: pointer; }
    main { display: grid; grid-template-columns: 1fr 330px; min-height: 0; }
    .left { display: grid; grid-template-rows: 1fr 230px; min-height: 0; min-width: 0; }
    .canvas { position: relative; overflow: hidden; background: var(--lf-canvas);
      background-image: radial-gradient(var(--lf-grid) 1px, transparent 1px); background-size: 24px 24px; outline: none; }
    .canvas.drop { outline: 3px dashed var(--lf-accent); outline-offset: -6px; }
    lf-views { border-top: 1px solid var(--lf-border); background: var(--lf-panel); min-height: 0; }
    aside { background: var(--lf-panel); border-left: 1px solid var(--lf-border); overflow-y: auto; min-height: 0; }
    section { padding: 8px 10px; border-bottom: 1px solid var(--lf-border); }
    section h2 { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--lf-muted); margin: 0 0 6px; }
    .hint { position: absolute; left: 50%; bottom: 14px; transform: translateX(-50%); background: var(--lf-panel-2); border: 1px solid var(--lf-border);
      padding: 6px 12px; border-radius: 6px; z-index: 10; max-width: 80%; box-shadow: 0 2px 8px #0006; }
    .help { position: absolute; right: 12px; top: 12px; z-index: 10; background: var(--lf-panel); border: 1px solid var(--lf-border); border-radius: 8px; padding: 10px 14px; box-shadow: 0 4px 16px #0008; }
    .help header { display: flex; justify-content: space-between; background: none; border: 0; padding: 0 0 6px; height: auto; }
    .spacer { flex: 1; }
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
        <button @click=${() => this.fileInput.click()} title="Open a .graph.json file (or drop one on the page)">Open…</button>
        <button @click=${() => this.saveFile()} title="Save as .graph.json (Ctrl+S)">Save</button>
        <select aria-label="Presets" @change=${(e: Event) => { const s = e.target as HTMLSelectElement; if (s.value) void this.openPreset(s.value); s.value = ''; }}>
          <option value="">Presets…</option>
          ${Object.keys(this.presets).map((n) => html`<option value=${n}>${n}</option>`)}
        </select>
        <span class="title" title=${this.doc.meta?.description ?? ''}>${this.doc.meta?.title ?? ''}</span>
        <button @click=${() => this.editor?.undo()} title="Undo (Ctrl+Z)">↶</button>
        <button @click=${() => this.editor?.redo()} title="Redo (Ctrl+Y)">↷</button>
        <button @click=${() => this.editor?.arrange()} title="Arrange (L)">Arrange</button>
        <button @click=${() => this.editor?.fitView()} title="Fit view (F)">Fit</button>
        <button @click=${() => (this.helpOpen = !this.helpOpen)} title="Keyboard shortcuts (?)">?</button>
        <button @click=${() => this.toggleTheme()} title="Dark / light theme">${this.theme === 'dark' ? '☀' : '☾'}</button>
        <input type="file" accept=".json,application/json" hidden @change=${(e: Event) => this.openFile((e.target as HTMLInputElement).files?.[0])} />
      </header>
      <main>
        <div class="left">
          <div class="canvas ${this.dragging ? 'drop' : ''}" @dragover=${this.onDragOver} @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}>
            ${this.hint ? html`<div class="hint" role="status">${this.hint}</div>` : nothing}
            ${this.helpOpen ? html`<div class="help"><header><b>Shortcuts</b><button @click=${() => (this.helpOpen = false)}>✕</button></header><lf-help></lf-help></div>` : nothing}
          </div>
          <lf-views .doc=${this.doc} .run=${this.run}></lf-views>
        </div>
        <aside>
          <section><h2>Run</h2>
            <lf-run-controls .run=${this.run} .seed=${seed} .starting=${this.starting} @lf-run=${(e: CustomEvent<{ action: RunAction }>) => this.onRunAction(e.detail.action)}
              @lf-seed=${(e: CustomEvent<{ seed: number }>) => trainer && this.editor?.setParam(trainer.id, 'seed', e.detail.seed)}></lf-run-controls></section>
          <section><h2>Inspector</h2>
            <lf-inspector .node=${node} .spec=${spec} .running=${running} @lf-param=${(e: CustomEvent<ParamChange>) => this.onParam(e.detail)}></lf-inspector></section>
          <section><h2>Problems (${this.problems.length})</h2>
            <lf-problems .problems=${this.problems} @lf-select-node=${(e: CustomEvent<{ nodeId: string }>) => this.editor?.select(e.detail.nodeId)}></lf-problems></section>
        </aside>
      </main>`;
  }

  protected async firstUpdated(): Promise<void> {
    if (!this.catalog) throw new Error('lf-app needs a catalog of node kinds');
    const ed = await createEditor(this.canvasEl, this.catalog, { keyTarget: window });
    this.editor = ed;
    this.subs.push(
      ed.docChanged$.subscribe((doc) => this.onDoc(doc)),
      ed.selection$.subscribe((id) => (this.selectedId = id)),
      ed.hints$.subscribe((h) => this.showHint(h)),
      ed.commands$.subscribe((c) => this.onCommand(c)),
    );
    if (this.initial && this.presets[this.initial]) await this.openPreset(this.initial);
    else await ed.loadDoc(emptyDoc());
    this.markReady();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const s of this.subs) s.unsubscribe();
    this.editor?.destroy();
    void this.run?.dispose();
  }

  /** Opens graph file text; problems that keep it from opening are listed, the current graph stays. */
  async openText(text: string, name = 'file'): Promise<boolean> {
    if (!this.catalog || !this.editor) return false;
    const { doc, problems } = loadGraph(text, this.catalog);
    if (!doc) {
      this.problems = problems;
      this.showHint(`Could not open ${name}: ${problems[0]?.message ?? 'not a graph file'}`);
      return false;
    }
    await this.disposeRun();
    await this.editor.loadDoc(doc);
    this.problems = problems;
    this.editor.showProblems(problems);
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
    await this.disposeRun();
    await this.editor?.loadDoc(emptyDoc());
    this.problems = [];
  }

  private async openFile(file: File | undefined): Promise<void> {
    if (!file) return;
    if (file.size > 20_000_000) return this.showHint(`${file.name} is too big for a graph file`);
    await this.openText(await file.text(), file.name);
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
    const blob = new Blob([saveGraph(doc)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(doc.meta.title ?? 'graph').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'graph'}.graph.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  private onDoc(doc: GraphDoc): void {
    this.doc = doc;
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
      const state = this.runStateValue;
      if (!this.run || state === 'done' || state === 'stopped' || state === 'failed') {
        if (!(await this.startNewRun())) return;
      }
      if (action === 'train') await this.run!.start();
      else await this.run!.step(1);
    } catch (e) {
      this.showHint(`Run: ${(e as Error).message}`);
    }
  }

  private async startNewRun(): Promise<boolean> {
    if (!this.startRun || !this.editor) {
      this.showHint('Training is not available here (no worker)');
      return false;
    }
    await this.disposeRun();
    this.starting = true;
    try {
      const result = await this.startRun(saveGraph(this.editor.getDoc()));
      if ('problems' in result && !('status$' in result)) {
        this.problems = result.problems;
        this.editor.showProblems(result.problems);
        this.showHint('The graph cannot run yet: see Problems');
        return false;
      }
      const run = result as Run;
      this.run = run;
      this.runStateValue = 'idle';
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
    this.run = null;
    this.runStateValue = 'idle';
    if (run) await run.dispose().catch(() => undefined);
  }

  private trainerNode() {
    return this.doc.nodes.find((n) => this.catalog?.get(n.kind)?.category === 'train') ?? null;
  }

  private toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = this.theme;
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
