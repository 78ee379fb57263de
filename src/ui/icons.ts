import { svg, type SVGTemplateResult } from 'lit';

/**
 * The app's icons as inline SVG (24×24 strokes in the current text colour): font glyphs such as ⧉
 * or 🗑 are missing from many systems' fonts and show as empty boxes.
 */
const paths = {
  undo: svg`<path d="M9 14 4 9l5-5"/><path d="M4 9h11a5 5 0 0 1 0 10h-3"/>`,
  redo: svg`<path d="m15 14 5-5-5-5"/><path d="M20 9H9a5 5 0 0 0 0 10h3"/>`,
  sun: svg`<circle cx="12" cy="12" r="4"/><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"/>`,
  moon: svg`<path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z"/>`,
  close: svg`<path d="M6 6l12 12M18 6 6 18"/>`,
  edit: svg`<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>`,
  duplicate: svg`<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2"/>`,
  trash: svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"/>`,
  expand: svg`<path d="M14 4h6v6M10 20H4v-6M20 4l-7 7M4 20l7-7"/>`,
  download: svg`<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>`,
  home: svg`<path d="M4 11 12 4l8 7"/><path d="M6 10v10h12V10"/>`,
  chevronRight: svg`<path d="m9 6 6 6-6 6"/>`,
  chevronDown: svg`<path d="m6 9 6 6 6-6"/>`,
} as const;

export type IconName = keyof typeof paths;

/** An icon as an inline SVG sized to the text (1.15em); decorative: the button around it carries the name. */
export function icon(name: IconName): SVGTemplateResult {
  return svg`<svg class="icon" viewBox="0 0 24 24" width="1.15em" height="1.15em" fill="none" stroke="currentColor" stroke-width="2"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" style="vertical-align: -0.2em; flex: none">${paths[name]}</svg>`;
}
