import { nodeTextSize, titleFontSize } from './fit';
import type { GraphNodeView } from './schemes';
import { nodeSummary, summaryHeight } from './summary-look';

/** Node geometry in canvas units: the CSS below and the sizes in schemes.ts follow it together. */
export const nodeLook = {
  width: 180,
  /** Title (with its padding) and the node's bottom padding and border. */
  chrome: 52,
  /** One socket row. */
  row: 28,
  /** A comment's width, the room for its text there (less the padding), and its line height. */
  commentWidth: 300,
  commentRoom: 280,
  commentLineHeight: 24,
  /** A title line's height, and the room for title text in a node of `width` (less the padding). */
  titleLine: 22,
  titleRoom: 160,
};

/**
 * A title text's width where there is no canvas to measure it (the preset layout, scripts/layout-presets.ts,
 * runs in Node): 0.58 em a character. It must not come out narrower than a browser draws the text, or a
 * laid-out comment would grow over the node under it: the sans-serif Chromium draws here (Arial metrics)
 * takes 0.42-0.55 em a character on the presets' titles, DejaVu Sans (the wider default of some Linux
 * desktops) 0.46-0.61, so 0.47 would wrap the presets' comments into fewer lines than DejaVu needs.
 * test/editor/text-estimate.test.ts checks it against both on every preset.
 */
export function estimatedTextWidth(text: string): number {
  return text.length * titleFontSize * 0.58;
}

let measurer: CanvasRenderingContext2D | null | undefined;
/** The width of a text in the title font (the estimate where there is no canvas). */
function textWidth(text: string): number {
  if (measurer === undefined) measurer = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!measurer) return estimatedTextWidth(text);
  measurer.font = `${titleFontSize}px sans-serif`;
  return measurer.measureText(text).width * 1.04;
}

/** How many lines a title takes in `room` px, by default a node of the plain width (words wrapped greedily by `width`). */
export function titleLines(title: string, room: number = nodeLook.titleRoom, width: (text: string) => number = textWidth): number {
  let lines = 1, line = '';
  for (const word of title.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && width(next) > room) { lines++; line = word; } else line = next;
  }
  return lines;
}

/**
 * Extra CSS for every `<rete-node>`: compact socket rows, so a graph fits its canvas at a zoom where
 * titles stay readable; a comment's text wraps inside its node instead of being clipped.
 */
export function nodeLookStyles(el: { data?: unknown }): string {
  const view = el.data as { kind?: string; label?: string } | undefined;
  const comment = view?.kind === 'note.comment';
  // The title keeps the lines it takes at the plain width, so an expanded (wider) node's sockets stay put.
  const lines = comment ? 1 : titleLines(String(view?.label ?? ''));
  // Opaque node colours (Rete's are 80 % transparent): white text keeps a 5.5:1 contrast on a light canvas too.
  // A selected node is a darker blue in a yellow ring (Rete's yellow fill left white text at 1.3:1).
  return `:host(rete-node) { --socket-size: 18px; --socket-margin: 5px; --node-color: #4a5fc9; --node-color-hover: #5a6fd6; --node-color-selected: #2c3a99; }
  :host(rete-node.selected) { border-color: #ffd92c; box-shadow: 0 0 0 2px #ffd92c; }
  :host(rete-node) .title { font-size: ${titleFontSize}px; padding: 7px 10px; line-height: ${nodeLook.titleLine}px; }
  :host(rete-node) .title { min-height: ${lines * nodeLook.titleLine + (nodeSummary(view as GraphNodeView | undefined) ? summaryHeight : 0)}px; box-sizing: content-box; }
  :host(rete-node) .input-title, :host(rete-node) .output-title { font-size: ${nodeTextSize}px; }
  ${comment ? `:host(rete-node) .title { font-size: ${titleFontSize}px; line-height: ${nodeLook.commentLineHeight}px; white-space: normal; overflow-wrap: anywhere; }` : ''}`;
}

/** A comment node's height for its text: the lines its title wraps to in the comment's room, and the padding. */
export function commentHeight(text: string): number {
  return 20 + titleLines(text, nodeLook.commentRoom) * nodeLook.commentLineHeight;
}
