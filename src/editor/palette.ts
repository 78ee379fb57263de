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
