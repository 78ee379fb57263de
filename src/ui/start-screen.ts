import { LitElement, css, html, svg, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Catalog, Category } from '../graph';
import { presetTitle } from './app-host';
import { icon } from './icons';

/** Events the start screen sends to the app. */
export interface StartScreenEvents {
  'lf-open-preset': { name: string };
  'lf-new-graph': Record<string, never>;
  'lf-open-file': Record<string, never>;
  /** "Show this at start" ticked or not. */
  'lf-start-setting': { show: boolean };
  'lf-close-start': Record<string, never>;
}

/** What a preset card shows, read from the preset file. */
interface Card {
  name: string;
  title: string;
  line: string;
  nodes: { x: number; y: number; category: Category | 'unknown' }[];
  edges: [number, number][];
}

/** Node colours in the thumbnails, by category (as the palette groups them). */
const categoryColors: Record<string, string> = {
  dataset: '#58a6ff', noise: '#d29922', network: '#a371f7', latent: '#db61a2', loss: '#f85149', train: '#3fb950',
  metric: '#39c5cf', infer: '#39c5cf', view: '#8b949e', note: '#6e7681', unknown: '#6e7681',
};

/**
 * The first thing a newcomer sees: every preset as a card (a thumbnail of its graph and one line on
 * what it shows), a new empty graph, or a file to open. Also reachable later from the library drawer.
 */
@customElement('lf-start-screen')
export class LfStartScreen extends LitElement {
  /** Preset names to their file text. */
  @property({ attribute: false }) presets: Record<string, () => Promise<string>> = {};
  @property({ attribute: false }) catalog: Catalog | null = null;
  /** Whether the start screen opens on a visit with an empty library. */
  @property({ type: Boolean }) showAtStart = true;
  @state() cards: Card[] = [];

  static styles = css`
    :host { position: absolute; inset: 0; z-index: 30; display: flex; align-items: flex-start; justify-content: center; overflow-y: auto;
      background: color-mix(in srgb, var(--lf-bg, #0d1117) 86%, transparent); backdrop-filter: blur(2px); padding: 28px 20px; box-sizing: border-box; }
    .box { width: min(1060px, 100%); background: var(--lf-panel, #161b22); border: 1px solid var(--lf-border, #30363d); border-radius: 12px;
      padding: 18px 22px 16px; box-shadow: 0 10px 40px #0007; }
    header { display: flex; align-items: baseline; gap: 12px; }
    h2 { font-size: 20px; margin: 0; }
    .lead { color: var(--lf-muted, #888); margin: 4px 0 14px; font-size: 14px; }
    .spacer { flex: 1; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(185px, 1fr)); gap: 12px; }
    .card { all: unset; box-sizing: border-box; cursor: pointer; display: flex; flex-direction: column; gap: 6px; padding: 10px; border-radius: 10px;
      border: 1px solid var(--lf-border, #30363d); background: var(--lf-panel-2, #21262d); min-width: 0; }
    .card:hover, .card:focus-visible { border-color: var(--lf-accent, #3fb950); outline: none; }
    .card svg.thumb { width: 100%; height: 84px; background: var(--lf-canvas, #0b0f14); border-radius: 6px; }
    .card b { font-size: 14px; }
    .card span { color: var(--lf-muted, #888); font-size: 12.5px; line-height: 1.35; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
    .card.action { align-items: center; justify-content: center; text-align: center; min-height: 120px; font-size: 14px; }
    .card.action .big { font-size: 28px; display: flex; }
    footer { display: flex; align-items: center; gap: 10px; margin-top: 14px; color: var(--lf-muted, #888); font-size: 13px; }
    button.close { font: inherit; padding: 4px 10px; border-radius: 4px; border: 1px solid var(--lf-border, #444); background: var(--lf-button, #21262d); color: inherit; cursor: pointer;
      display: inline-flex; align-items: center; gap: 4px; }
  `;

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('presets') || changed.has('catalog')) void this.loadCards();
  }

  /** Reads each preset's title, description and graph (for its thumbnail). */
  private async loadCards(): Promise<void> {
    const cards = await Promise.all(Object.entries(this.presets).map(async ([name, load]) => {
      try {
        return cardOf(name, JSON.parse(await load()) as PresetFile, this.catalog);
      } catch {
        return { name, title: name, line: '', nodes: [], edges: [] } satisfies Card;
      }
    }));
    this.cards = cards;
  }

  render() {
    return html`<div class="box" role="dialog" aria-label="Start">
      <header><h2>Build, train and explore autoencoders</h2><span class="spacer"></span>
        <button class="close" aria-label="Close" @click=${() => this.send('lf-close-start', {})}>${icon('close')}</button></header>
      <p class="lead">Open a preset to see a classic experiment, start from an empty canvas, or open a file (.graph.json, .lflow bundle or a latentflow PNG).</p>
      <div class="grid">
        ${this.cards.map((c) => html`<button class="card" data-preset=${c.name} title=${c.line} @click=${() => this.send('lf-open-preset', { name: c.name })}>
          ${thumbnail(c)}<b>${c.title}</b><span>${c.line}</span></button>`)}
        <button class="card action" data-action="new" @click=${() => this.send('lf-new-graph', {})}><span class="big">+</span><b>New empty graph</b>
          <span>Right-click the canvas to add nodes</span></button>
        <button class="card action" data-action="open" @click=${() => this.send('lf-open-file', {})}><span class="big">${icon('download')}</span><b>Open a file…</b>
          <span>or drop one on the page</span></button>
      </div>
      <footer><label><input type="checkbox" .checked=${this.showAtStart}
        @change=${(e: Event) => this.send('lf-start-setting', { show: (e.target as HTMLInputElement).checked })} /> Show this at start</label>
        <span class="spacer"></span><span>Later: Library → Start screen</span></footer>
    </div>`;
  }

  private send<K extends keyof StartScreenEvents>(type: K, detail: StartScreenEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

interface PresetFile {
  meta?: { title?: string; description?: string };
  nodes?: { id: string; kind: string; ui?: { position?: [number, number] } }[];
  edges?: { from: { node: string }; to: { node: string } }[];
}

/** A card from a preset file: its title, the first sentence of its description and its nodes' places. */
function cardOf(name: string, file: PresetFile, catalog: Catalog | null): Card {
  const nodes = (file.nodes ?? []).filter((n) => !n.kind.startsWith('note.'));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const description = file.meta?.description ?? '';
  const line = description.split(/(?<=[.:])\s/)[0]!.replace(/:$/, '');
  return {
    name,
    title: presetTitle(name, file),
    line,
    nodes: nodes.map((n) => ({ x: n.ui?.position?.[0] ?? 0, y: n.ui?.position?.[1] ?? 0, category: catalog?.get(n.kind)?.category ?? 'unknown' })),
    edges: (file.edges ?? []).flatMap((e) => {
      const a = index.get(e.from.node), b = index.get(e.to.node);
      return a !== undefined && b !== undefined ? [[a, b] as [number, number]] : [];
    }),
  };
}

/** The graph at a glance: its nodes where they sit, coloured by category, and their edges. */
function thumbnail(c: Card) {
  if (!c.nodes.length) return svg`<svg class="thumb" viewBox="0 0 240 96" aria-hidden="true"></svg>`;
  const xs = c.nodes.map((n) => n.x), ys = c.nodes.map((n) => n.y);
  const minX = Math.min(...xs), minY = Math.min(...ys);
  const w = Math.max(...xs) - minX + 200, h = Math.max(...ys) - minY + 140;
  const k = Math.min(224 / w, 84 / h);
  const ox = (240 - w * k) / 2, oy = (96 - h * k) / 2;
  const X = (x: number) => ox + (x - minX) * k, Y = (y: number) => oy + (y - minY) * k;
  const nw = 180 * k, nh = Math.max(6, 110 * k);
  return svg`<svg class="thumb" viewBox="0 0 240 96" aria-hidden="true">
    ${c.edges.map(([a, b]) => svg`<line x1=${X(c.nodes[a]!.x) + nw} y1=${Y(c.nodes[a]!.y) + nh / 2} x2=${X(c.nodes[b]!.x)} y2=${Y(c.nodes[b]!.y) + nh / 2}
      stroke="#8b949e" stroke-opacity="0.7" stroke-width="1"/>`)}
    ${c.nodes.map((n) => svg`<rect x=${X(n.x)} y=${Y(n.y)} width=${nw} height=${nh} rx="2" fill=${categoryColors[n.category] ?? categoryColors.unknown} fill-opacity="0.9"/>`)}
  </svg>`;
}

declare global {
  interface HTMLElementTagNameMap { 'lf-start-screen': LfStartScreen }
}
