import { categories, defaultParams, type Catalog, type Category, type KindSpec } from '../graph';

const categoryTitles: Record<Category, string> = {
  dataset: 'Datasets', noise: 'Noise', network: 'Networks', latent: 'Latent', loss: 'Losses',
  train: 'Training', metric: 'Metrics', infer: 'Inference', view: 'Views', note: 'Notes',
};

/** A kind as the palette lists it: its title, and the text a search looks in (title, kind id, description, default summary). */
export interface PaletteKind { kind: string; title: string; search: string }

/** What a search looks in for a kind: its title, its id ("noise.gaussian"), its description and its summary at the defaults. */
function searchText(k: KindSpec): string {
  let summary = '';
  try {
    summary = k.summary?.(defaultParams(k.params)) ?? '';
  } catch {
    // A summary that needs more than the defaults adds nothing to search in.
  }
  return [k.title, k.kind, k.description ?? '', summary].join('\n').toLowerCase();
}

/** The palette: kinds grouped by category, in the catalog's category order. */
export function paletteGroups(catalog: Catalog): { category: Category; title: string; kinds: PaletteKind[] }[] {
  return categories
    .map((category) => ({
      category,
      title: categoryTitles[category],
      kinds: catalog.all().filter((k) => k.category === category).map((k) => ({ kind: k.kind, title: k.title, search: searchText(k) })),
    }))
    .filter((g) => g.kinds.length > 0);
}

/** A context-menu entry; a palette entry for a kind carries `search`, a category its kinds as `subitems`. */
export interface MenuItem {
  label: string;
  key: string;
  handler(): void;
  subitems?: MenuItem[];
  /** Lower-case text a search looks in (else the label). */
  search?: string;
}

/** A search's answer: the entries to pick from, each with the category it sits in ('' at the top level). */
export interface MenuHit { item: MenuItem; group: string }

/**
 * The entries matching `query` (case-insensitive, as plain text): every node whose title, kind id,
 * description or summary contains it, and every node of a category whose name contains it; at the top
 * level, the entries whose label contains it. Nodes are listed themselves, not their categories.
 */
export function searchMenu(items: readonly MenuItem[], query: string): MenuHit[] {
  const q = query.trim().toLowerCase();
  const has = (item: MenuItem) => (item.search ?? item.label.toLowerCase()).includes(q);
  return items.flatMap((item): MenuHit[] => {
    if (!item.subitems) return has(item) ? [{ item, group: '' }] : [];
    const all = item.label.toLowerCase().includes(q);
    return item.subitems.filter((sub) => all || has(sub)).map((sub) => ({ item: sub, group: item.label }));
  });
}
