import { categories, type Catalog, type Category } from '../graph';

const categoryTitles: Record<Category, string> = {
  dataset: 'Datasets', noise: 'Noise', network: 'Networks', latent: 'Latent', loss: 'Losses',
  train: 'Training', metric: 'Metrics', infer: 'Inference', view: 'Views', note: 'Notes',
};

/** The palette: kinds grouped by category, in the catalog's category order. */
export function paletteGroups(catalog: Catalog): { category: Category; title: string; kinds: { kind: string; title: string }[] }[] {
  return categories
    .map((category) => ({
      category,
      title: categoryTitles[category],
      kinds: catalog.all().filter((k) => k.category === category).map((k) => ({ kind: k.kind, title: k.title })),
    }))
    .filter((g) => g.kinds.length > 0);
}

/** The palette's search field (inside the context menu's shadow roots), once it is drawn. */
function paletteSearch(menu: Element): HTMLInputElement | null {
  const list = menu.querySelector('rete-context-menu');
  const search = list?.shadowRoot?.querySelector('rete-context-menu-search');
  return search?.shadowRoot?.querySelector('input') ?? null;
}

/** Gives the palette's search field a placeholder and a label, as soon as the menu has drawn it. */
export function labelPaletteSearch(menu: HTMLElement, tries = 10): void {
  requestAnimationFrame(() => {
    const input = paletteSearch(menu);
    if (!input) return void (tries > 0 && labelPaletteSearch(menu, tries - 1));
    input.placeholder = 'Search nodes…';
    input.setAttribute('aria-label', 'Search node kinds');
  });
}
