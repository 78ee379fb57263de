import { commandForKey, isTyping, type EditorCommand } from './shortcuts';

/**
 * Runs the command of each shortcut pressed on `keyTarget` (not while typing in a field). When the
 * keys are the container's own, it becomes focusable and takes the focus on a click.
 */
export function listenForKeys(container: HTMLElement, keyTarget: HTMLElement | Window, run: (command: EditorCommand) => Promise<void>): { destroy(): void } {
  if (keyTarget === container && container.tabIndex < 0) container.tabIndex = 0;
  const onKey = (event: Event) => {
    const e = event as KeyboardEvent;
    if (isTyping(e)) return;
    const command = commandForKey(e);
    if (!command) return;
    e.preventDefault();
    void run(command);
  };
  keyTarget.addEventListener('keydown', onKey);
  container.addEventListener('pointerdown', () => {
    if (keyTarget === container) container.focus({ preventScroll: true });
  });
  return { destroy: () => keyTarget.removeEventListener('keydown', onKey) };
}
