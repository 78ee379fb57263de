import { defineNode, string } from './define';

const shown = 240;

/** A note on the canvas: it explains or groups part of a graph and takes no part in training. */
export const commentNote = defineNode({
  kind: 'note.comment', version: 1, title: 'Comment', category: 'note',
  description: 'A note on the canvas; it does nothing when the graph runs.',
  inputs: {},
  outputs: {},
  params: {
    text: string({ default: 'Note', maxLength: 2000, help: 'What this part of the graph is for.' }),
    sweep: string({ default: '', maxLength: 400, help: 'A sweep the note runs in one click (a button under its text): NODE.PARAM=VALUE,VALUE,…, e.g. enc.units=[64],[128]; after a ; a second param (every pair), e.g. enc.units=[64],[128]; train.lr=0.001,0.01.' }),
  },
  infer: () => ({ outputs: {} }),
  label: (p) => {
    const text = String(p.text ?? '').trim().replace(/\s+/g, ' ') || 'Comment';
    return text.length > shown ? `${text.slice(0, shown - 1)}…` : text;
  },
});
