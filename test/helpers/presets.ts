/**
 * The preset graph files in `graphs/`, by name. Browsers cannot list a directory, so the list is
 * written out; `test/graph/presets-list.node.test.ts` checks it against the real directory.
 */
export const presetFiles: readonly string[] = [
  'emoji-rgb-vae.json',
  'emoji-vae.json',
  'font-ae.json',
  'font-dae.json',
  'font-linear-ae.json',
  'font-outliers.json',
  'font-sparse-ae.json',
  'mnist-ae.json',
  'mnist-vae.json',
];
