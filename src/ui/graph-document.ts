import type { ReactiveController } from 'lit';
import { loadGraph, saveGraph, validateGraph, type GraphDoc, type Problem } from '../graph';
import { emptyDoc } from '../editor';
import { errorMessage } from '../lib/error-message';
import {
  autosave, exportGraphFile, getGraphRecord, getSetting, hasGraphLink, importBundle, lastGraphSetting, loadGraphDoc, openLibrary,
  readDroppedFile, readGraphLink, saveGraphDoc, saveGraphDocIfUnchanged, setSetting, StoreError, type Autosaver, type GraphRecord, type Library,
} from '../store';
import type { AppHost } from './app-host';
import { download } from './downloads';
import { libraryChannel, type LibraryChannel, type SavedMessage } from './library-channel';
import { rendered } from './rendered';

/**
 * The open graph of `<lf-app>` and the library it lives in: the ways to open a graph (a preset, a file,
 * a dropped file or bundle, a `#g=` link, a saved graph, a new one), autosave, saving now, and edits
 * made to the same graph in another tab.
 */
export class GraphDocument implements ReactiveController {
  /** The library (IndexedDB, or memory with a banner); set once opened. */
  @rendered library: Library | null = null;
  /** The open graph's id in the library (null until it is first saved). */
  @rendered graphId: string | null = null;
  /** The open graph as the editor last reported it. */
  @rendered doc: GraphDoc = emptyDoc();
  /** Counts the graphs opened (a new one clears the seed comparison). */
  @rendered opened = 0;
  /** Another tab saved the open graph since this page read it: this page's edits are held, not written over it. */
  @rendered conflict: GraphRecord | null = null;
  private autosaver: Autosaver | null = null;
  private savedText = '';
  /** The open graph's text in the library as this page last read or wrote it (autosave checks it is still there). */
  private seenText: string | undefined;
  /** Saves announced to and heard from the other tabs on this library. */
  private channel: LibraryChannel | null = null;
  private loadingDoc = false;
  private validateTimer = 0;
  /** Resolves once the removed app's last save is written and announced to the other tabs, and the channel is closed. */
  closed: Promise<void> = Promise.resolve();

  constructor(private readonly host: AppHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('hashchange', this.onHashChange);
    // The last save is still announced to the other tabs; then the channel closes.
    this.closed = (this.autosaver?.flush() ?? Promise.resolve()).finally(() => { this.autosaver?.dispose(); this.channel?.close(); });
  }

  /** Opens the library; a blocked or newer database, or no storage, is shown and the app keeps working in memory. */
  async openStore(): Promise<void> {
    const { host } = this;
    try {
      this.library = await openLibrary({ name: host.dbName, onClosed: () => (host.banner = 'The library was closed by another latentflow tab; reload this page to keep saving.') });
    } catch (e) {
      host.banner = e instanceof StoreError ? e.problem.message : `The library could not be opened: ${errorMessage(e)}`;
      this.library = await openLibrary({ name: host.dbName, indexedDB: null });
      if (host.banner) host.banner += ' Until then nothing is kept.';
      return;
    }
    if (!this.library.persistent) host.banner = this.library.notice ?? 'Nothing will be kept after you close this page.';
    else this.channel = libraryChannel(host.dbName, (m) => void this.onSavedElsewhere(m));
  }

  /** Saves on leaving the page; opens `#g=` links pasted into the address bar. */
  listen(): void {
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('hashchange', this.onHashChange);
  }

  /** A `#g=` link, or the graph open last time: true when one was opened. */
  async openStartupGraph(): Promise<boolean> {
    if (hasGraphLink(location.hash)) return this.openLink(location.hash);
    if (!this.library) return false;
    const last = await getSetting<string | null>(this.library, lastGraphSetting, null).catch(() => null);
    return last ? this.openSaved(last) : false;
  }

  /** Opens the graph carried by a `#g=...` link (not saved until edited). */
  async openLink(hash: string): Promise<boolean> {
    if (!this.host.catalog) return false;
    const loaded = readGraphLink(hash, this.host.catalog);
    history.replaceState(null, '', location.pathname + location.search);
    return this.openLoaded(loaded, 'the link', 'no graph');
  }

  /** Opens a graph from the library with its trained weights and newest checkpoint. */
  async openSaved(id: string): Promise<boolean> {
    if (!this.library || !this.host.catalog) return false;
    const r = await loadGraphDoc(this.library, id, this.host.catalog);
    if (!r.ok || !r.value.doc) {
      this.host.showHint(`Could not open the saved graph: ${r.ok ? r.value.problems[0]?.message : r.problem.message}`);
      return false;
    }
    this.seenText = r.value.record.text;
    await this.openDocument(r.value.doc, r.value.problems, id);
    await setSetting(this.library, lastGraphSetting, id);
    return true;
  }

  /** Opens a file by its content: a graph file, a `.lflow` bundle (imported with its weights) or a PNG with a graph. */
  async openBytes(name: string, bytes: Uint8Array): Promise<boolean> {
    const { catalog, editor } = this.host;
    if (!catalog || !editor) return false;
    const read = await readDroppedFile(name, bytes, catalog);
    if (read.kind === 'graph') return this.openLoaded(read.result, name);
    if (!read.result.ok) {
      this.host.problems = read.result.problems;
      this.host.showHint(`Could not open ${name}: ${read.result.problems[0]?.message ?? 'not a model bundle'}`);
      return false;
    }
    if (!this.library) return false;
    const imported = await importBundle(this.library, bytes, catalog);
    if (!imported.ok) {
      this.host.problems = imported.problems;
      this.host.showHint(`Could not import ${name}: ${imported.problems[0]?.message ?? ''}`);
      return false;
    }
    await this.openSaved(imported.record.id);
    this.host.refreshLibrary();
    return true;
  }

  /** Opens a picked or dropped file (a graph file, bundle or PNG). */
  async openFile(file: File | undefined): Promise<void> {
    if (!file) return;
    if (file.size > 300_000_000) return this.host.showHint(`${file.name} is too big for a graph file or model bundle`);
    await this.openBytes(file.name, new Uint8Array(await file.arrayBuffer()));
  }

  /** Opens graph file text; problems that keep it from opening are listed, the current graph stays. */
  async openText(text: string, name = 'file'): Promise<boolean> {
    if (!this.host.catalog || !this.host.editor) return false;
    return this.openLoaded(loadGraph(text, this.host.catalog), name);
  }

  async openPreset(name: string): Promise<void> {
    try {
      await this.openText(await this.host.presets[name]!(), name);
    } catch (e) {
      this.host.showHint(`Could not load preset ${name}: ${errorMessage(e)}`);
    }
  }

  /** A new empty graph. */
  openEmpty(): Promise<void> {
    return this.openDocument(emptyDoc(), []);
  }

  /** Opens a loaded graph; when it could not be read, its problems are listed and the current graph stays. */
  private async openLoaded({ doc, problems }: { doc: GraphDoc | null; problems: Problem[] }, name: string, unread = 'not a graph file'): Promise<boolean> {
    if (!doc) {
      // An edit's pending validation would replace this list with the open graph's problems.
      clearTimeout(this.validateTimer);
      this.host.problems = problems;
      this.host.showHint(`Could not open ${name}: ${problems[0]?.message ?? unread}`);
      return false;
    }
    await this.openDocument(doc, problems);
    return true;
  }

  /**
   * Puts a document in the editor: saves what is pending for the graph open before, ends its run
   * (keeping its weights), then looks up the new graph's weights and checkpoint when it is saved.
   */
  private async openDocument(doc: GraphDoc, problems: Problem[], id: string | null = null): Promise<void> {
    const { editor, session } = this.host;
    if (!editor) return;
    this.host.startOpen = false; // whatever opened a graph (a dropped file, the Presets menu, a link) answers the start screen
    await this.autosaver?.flush();
    this.autosaver?.dispose();
    this.autosaver = null;
    await session.end();
    this.conflict = null;
    this.opened++;
    this.graphId = id;
    session.forget();
    await this.loadQuietly(doc);
    this.host.problems = problems;
    editor.showProblems(problems);
    this.startAutosave();
    await session.restoreSaved();
  }

  /** The editor changed the document: it is autosaved and checked again (debounced). */
  edited(doc: GraphDoc): void {
    this.doc = doc;
    if (!this.loadingDoc && saveGraph(doc) !== this.savedText) this.autosaver?.edited(doc);
    clearTimeout(this.validateTimer);
    this.validateTimer = window.setTimeout(() => {
      if (!this.host.catalog) return;
      this.host.problems = validateGraph(this.doc, this.host.catalog).problems;
      this.host.editor?.showProblems(this.host.problems);
    }, 120);
  }

  /** Save: downloads the graph file and saves it in the library now. */
  saveFile(): void {
    if (!this.host.editor) return;
    const doc = this.host.editor.getDoc();
    doc.meta = { ...doc.meta, modified: new Date().toISOString() };
    const file = exportGraphFile(doc);
    download(file.name, file.text, 'application/json');
    void this.saveNow();
  }

  /** Saves the open graph now (creating it in the library if needed); its id. */
  async saveNow(): Promise<string | null> {
    const { editor } = this.host;
    if (!this.library || !editor) return null;
    await this.autosaver?.flush();
    if (this.graphId && saveGraph(editor.getDoc()) === this.savedText) return this.graphId;
    const doc = editor.getDoc();
    const r = this.graphId && this.seenText !== undefined
      ? await saveGraphDocIfUnchanged(this.library, doc, this.graphId, this.seenText)
      : await saveGraphDoc(this.library, doc, this.graphId ?? undefined);
    if (!r.ok && 'theirs' in r) { this.conflict = r.theirs as GraphRecord; return this.graphId; }
    if (!r.ok) { this.host.showHint(`Not saved: ${r.problem.message}`); return this.graphId; }
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

  /** The editor holds edits that differ from the library's text of this graph (they are not saved over another tab's). */
  editsHeld(): boolean {
    return !!this.host.editor && saveGraph(this.host.editor.getDoc()) !== this.seenText;
  }

  /** Library → Copy of a preset: saved as a new graph and opened. */
  async copyPreset(name: string): Promise<void> {
    if (!this.library || !this.host.catalog) return;
    const { doc } = loadGraph(await this.host.presets[name]!(), this.host.catalog);
    if (!doc) return this.host.showHint(`Could not copy preset ${name}`);
    doc.meta = { ...doc.meta, title: `${doc.meta?.title ?? name} (copy)` };
    await this.saveAsNew(doc);
  }

  /** After a conflict with another tab: this page's document becomes a new graph, theirs stays as it is. */
  async forkMine(): Promise<void> {
    if (!this.library || !this.host.editor || !this.conflict) return;
    const doc = this.host.editor.getDoc();
    doc.meta = { ...doc.meta, title: `${doc.meta?.title?.trim() || this.conflict.title} (copy)` };
    await this.saveAsNew(doc);
  }

  /** A graph was deleted from the library. */
  onDeleted(id: string): void {
    if (id !== this.graphId) return;
    // The open graph stays open, unsaved: the next edit saves it anew; Undo brings the old one back.
    this.autosaver?.dispose();
    this.autosaver = null;
    this.graphId = null;
    this.savedText = '';
    this.startAutosave();
  }

  /** A graph was renamed in the library. */
  async onRenamed(id: string, title: string): Promise<void> {
    if (id !== this.graphId || !this.host.editor) return;
    const doc = this.host.editor.getDoc();
    doc.meta = { ...doc.meta, title };
    await this.loadQuietly(doc);
    // The library rewrote the saved text with the new title: that is the text this page now knows.
    const record = await getGraphRecord(this.library!, id).catch(() => null);
    if (record) { this.seenText = record.text; this.autosaver?.adopt(record.text); }
  }

  private async saveAsNew(doc: GraphDoc): Promise<void> {
    const r = await saveGraphDoc(this.library!, doc);
    if (!r.ok) return this.host.showHint(`Not saved: ${r.problem.message}`);
    await this.openSaved(r.value.id);
    this.host.refreshLibrary();
  }

  private startAutosave(): void {
    if (!this.library) return;
    this.autosaver = autosave(this.library, {
      ...(this.graphId ? { id: this.graphId } : {}),
      delayMs: this.host.autosaveDelay,
      ...(this.graphId ? { seenText: this.seenText } : {}),
      onConflict: (theirs) => (this.conflict = theirs),
      onSaved: (record) => {
        this.channel?.announce({ graphId: record.id, text: record.text });
        this.graphId = record.id;
        this.savedText = record.text;
        this.seenText = record.text;
        this.host.refreshLibrary();
      },
      onProblem: (problem) => this.host.showHint(`Not saved: ${problem.message}`),
    });
  }

  /** Loads a document into the editor without counting it as an edit to autosave. */
  private async loadQuietly(doc: GraphDoc): Promise<void> {
    const editor = this.host.editor!;
    this.loadingDoc = true;
    try {
      await editor.loadDoc(doc);
    } finally {
      this.loadingDoc = false;
    }
    this.doc = editor.getDoc();
    this.savedText = saveGraph(this.doc);
  }

  private onPageHide = () => void this.autosaver?.flush();

  private onHashChange = () => { if (hasGraphLink(location.hash)) void this.openLink(location.hash); };

  /** Another tab saved a graph: if it is the one open here, say so now (this tab's saves are held). */
  private async onSavedElsewhere(m: SavedMessage): Promise<void> {
    if (!this.library || m.graphId !== this.graphId || m.text === this.seenText || this.conflict) return;
    const theirs = await getGraphRecord(this.library, m.graphId).catch(() => null);
    if (theirs && m.graphId === this.graphId && theirs.text !== this.seenText) this.conflict = theirs;
  }
}
