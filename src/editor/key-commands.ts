import { commandForKey, isTyping, type EditorCommand } from './shortcuts';

/**
 * Runs the command of each shortcut pressed on `keyTarget` (not while typing in a field). When the
 * keys are the container's own, it becomes focusable and takes the focus on a click.
 */
export function listenForKeys(container: HTMLElement, keyTarget: HTMLElement | Window, run: (command: EditorCommand) => Promise<void>): { settled(): Promise<void>; destroy(): void } {
  if (keyTarget === container && container.tabIndex < 0) container.tabIndex = 0;
  let last: Promise<void> = Promise.resolve();
  const onKey = (event: Event) => {
    const e = event as KeyboardEvent;
    if (isTyping(e)) return;
    const command = commandForKey(e);
    if (!command) return;
    e.preventDefault();
    last = run(command);
  };
  keyTarget.addEventListener('keydown', onKey);
  container.addEventListener('pointerdown', () => {
    if (keyTarget === container) container.focus({ preventScroll: true });
  });
  return {
    /** Resolves when the command of the last key pressed is done (whether it worked or not). */
    settled: () => last.then(() => undefined, () => undefined),
    destroy: () => keyTarget.removeEventListener('keydown', onKey),
  };
}
