/**
 * Calls `changed` whenever the page's theme changes: the app's `data-theme` on the root element (the
 * theme toggle) or the system's colour scheme (what the default theme follows). Views drawn on a canvas
 * read the theme's colours when they draw, so they redraw on it. Returns a function that stops watching.
 */
export function watchTheme(changed: () => void): () => void {
  const attributes = new MutationObserver(changed);
  attributes.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', changed);
  return () => {
    attributes.disconnect();
    scheme.removeEventListener('change', changed);
  };
}
