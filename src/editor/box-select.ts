import type { AreaPlugin } from 'rete-area-plugin';
import type { NodeEditor } from 'rete';
import type { Schemes } from './schemes';

/** A rectangle in the container's pixels. */
interface Box { left: number; top: number; right: number; bottom: number }

/**
 * Shift+drag on empty canvas draws a box and selects the nodes it touches (Ctrl+Shift+drag adds
 * them to the selection). The area never sees that pointerdown (a capturing listener stops it), so
 * the canvas does not pan and no click clears the selection. `select` gets the ids and whether to
 * keep the current selection.
 */
export function boxSelect(
  area: AreaPlugin<Schemes, any>,
  editor: NodeEditor<Schemes>,
  select: (ids: string[], add: boolean) => Promise<void>,
): { destroy(): void } {
  const container = area.container;
  let start: { x: number; y: number; add: boolean } | null = null;
  let outline: HTMLDivElement | null = null;

  const local = (e: PointerEvent) => {
    const r = container.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onNode = (e: PointerEvent) => {
    const path = e.composedPath();
    return [...area.nodeViews.values()].some((v) => path.includes(v.element));
  };

  const down = (e: PointerEvent) => {
    if (!e.shiftKey || e.button !== 0 || onNode(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    start = { ...local(e), add: e.ctrlKey || e.metaKey };
    outline = document.createElement('div');
    outline.dataset.boxSelect = '';
    outline.style.cssText = 'position:absolute;pointer-events:none;border:1px dashed #ffd92c;background:#ffd92c1a;z-index:10;';
    container.append(outline);
    draw(start.x, start.y);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up, { once: true });
  };
  const boxTo = (x: number, y: number): Box => ({
    left: Math.min(start!.x, x), top: Math.min(start!.y, y), right: Math.max(start!.x, x), bottom: Math.max(start!.y, y),
  });
  const draw = (x: number, y: number) => {
    const b = boxTo(x, y);
    Object.assign(outline!.style, { left: `${b.left}px`, top: `${b.top}px`, width: `${b.right - b.left}px`, height: `${b.bottom - b.top}px` });
  };
  const move = (e: PointerEvent) => {
    if (!start) return;
    const p = local(e);
    draw(p.x, p.y);
  };
  const up = (e: PointerEvent) => {
    window.removeEventListener('pointermove', move);
    if (!start) return;
    const p = local(e);
    const box = boxTo(p.x, p.y);
    const add = start.add;
    start = null;
    outline?.remove();
    outline = null;
    // A click without a drag is not a box.
    if (box.right - box.left < 4 && box.bottom - box.top < 4) return;
    const ids = nodesIn(box);
    // After the area's own pointerup handling (which may clear the selection on what it takes for a click).
    setTimeout(() => void select(ids, add), 0);
  };

  /** Nodes whose rectangle (area coordinates, through the current zoom and pan) meets the box. */
  const nodesIn = (box: Box): string[] => {
    const { k, x, y } = area.area.transform;
    return editor.getNodes().filter((n) => {
      const at = area.nodeViews.get(n.id)?.position;
      if (!at) return false;
      const left = at.x * k + x, top = at.y * k + y;
      return left < box.right && left + n.width * k > box.left && top < box.bottom && top + n.height * k > box.top;
    }).map((n) => n.id);
  };

  container.addEventListener('pointerdown', down, { capture: true });
  return {
    destroy() {
      container.removeEventListener('pointerdown', down, { capture: true });
      window.removeEventListener('pointermove', move);
      outline?.remove();
    },
  };
}
