/** The Rete v2 node editor, synced with a GraphDoc by one adapter (same node and edge ids). */
export { createEditor, type LatentEditor, type EditorOptions } from './create-editor';
export { emptyDoc } from './graph-sync';
export { paletteGroups } from './palette';
export { shortcutList, commandForKey, type EditorCommand } from './shortcuts';
export { socketColors } from './socket-colors';
export { GraphNodeView, type Schemes } from './schemes';
export { frameKind } from './frames';
export { noteSweepEvent, type NoteSweepRequest } from './note-sweep';
