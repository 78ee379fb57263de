import { choice, defineNode, string } from './define';

/** Frame colours, named for the user; the editor maps each to its tint. */
export const frameColors = ['blue', 'green', 'orange', 'purple', 'grey'] as const;

/**
 * A box that groups nodes on the canvas: its members keep `ui.parent` = the frame's id, move with
 * it, and the editor sizes it around them. Like a comment it has no sockets and takes no part in training.
 */
export const frameNote = defineNode({
  kind: 'note.frame', version: 1, title: 'Frame', category: 'note',
  description: 'Groups nodes on the canvas: drag the frame to move them together. It does nothing when the graph runs.',
  inputs: {},
  outputs: {},
  params: {
    title: string({ default: 'Group', maxLength: 200, help: 'What the framed nodes do together.' }),
    color: choice({ options: frameColors, default: 'blue', help: 'The frame\'s colour.' }),
  },
  infer: () => ({ outputs: {} }),
  label: (p) => String(p.title ?? '').trim().replace(/\s+/g, ' ') || 'Frame',
});
