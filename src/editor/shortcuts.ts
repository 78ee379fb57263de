/** What a key press asks the editor (or the app) to do. */
export type EditorCommand =
  | 'undo' | 'redo' | 'delete' | 'copy' | 'paste' | 'duplicate' | 'frame-selection' | 'unframe' | 'toggle-views'
  | 'save' | 'fit' | 'arrange' | 'run-toggle' | 'help' | 'dismiss' | 'toggle-minimap';

/** The shortcuts, as the help panel lists them. */
export const shortcutList: readonly { keys: string; command: EditorCommand; what: string }[] = [
  { keys: 'Ctrl+Z', command: 'undo', what: 'Undo' },
  { keys: 'Ctrl+Y / Ctrl+Shift+Z', command: 'redo', what: 'Redo' },
  { keys: 'Delete / Backspace', command: 'delete', what: 'Remove the selected nodes' },
  { keys: 'Ctrl+C', command: 'copy', what: 'Copy the selected nodes' },
  { keys: 'Ctrl+V', command: 'paste', what: 'Paste' },
  { keys: 'Ctrl+D', command: 'duplicate', what: 'Duplicate the selected nodes' },
  { keys: 'Ctrl+G', command: 'frame-selection', what: 'Put the selected nodes in a frame (drag the frame to move them together)' },
  { keys: 'Ctrl+Shift+G', command: 'unframe', what: 'Take the selected nodes out of their frame' },
  { keys: 'Ctrl+S', command: 'save', what: 'Save the graph file' },
  { keys: 'F', command: 'fit', what: 'Fit the graph in view' },
  { keys: 'V', command: 'toggle-views', what: 'Show or hide the live view inside the selected view nodes' },
  { keys: 'L', command: 'arrange', what: 'Arrange the nodes automatically' },
  { keys: 'M', command: 'toggle-minimap', what: 'Show or hide the minimap' },
  { keys: 'Space / Enter', command: 'run-toggle', what: 'Train, pause or resume' },
  { keys: '?', command: 'help', what: 'Show this list' },
  { keys: 'Escape', command: 'dismiss', what: 'Close this list' },
  { keys: 'Right click', command: 'help', what: 'Add a node from the palette (searchable), or delete one' },
];

/** True when the key press is typing into a field, so editor shortcuts must not fire. */
export function isTyping(e: KeyboardEvent): boolean {
  const target = (e.composedPath?.()[0] ?? e.target) as HTMLElement | null;
  if (!target || !(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  // Enter is a focused button's own click (keyboard users); Space stays the app's Train/Stop, so a
  // toolbar button clicked with the mouse (and left focused) is not clicked again by it.
  if (tag === 'BUTTON' && e.key === 'Enter') return true;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/** Maps a key press to a command, or null. */
export function commandForKey(e: KeyboardEvent): EditorCommand | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return 'paste';
    if (key === 'd') return 'duplicate';
    if (key === 'g') return e.shiftKey ? 'unframe' : 'frame-selection';
    if (key === 's') return 'save';
    return null;
  }
  if (e.altKey) return null;
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === 'f') return 'fit';
  if (key === 'v') return 'toggle-views';
  if (key === 'l') return 'arrange';
  if (key === 'm') return 'toggle-minimap';
  if (key === ' ' || key === 'Enter') return 'run-toggle';
  if (key === '?') return 'help';
  if (key === 'Escape') return 'dismiss';
  return null;
}
