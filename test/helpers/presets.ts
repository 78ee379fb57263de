/**
 * The preset graph files in `graphs/`, by name. Browsers cannot list a directory, so the list is
 * written out; `test/graph/presets-list.node.test.ts` checks it against the real directory.
 */
export const presetFiles: readonly string[] = [
  'font-ae.json',
];
