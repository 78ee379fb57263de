import type { Colors, Size } from './canvas-draw';

/** How much larger than on screen a view is saved as PNG. */
export const exportScale = 2;

/**
 * A view drawn for saving: `scale` times its size on screen, on an opaque background of the theme
 * (a transparent PNG is unreadable on the other theme), with its title on top.
 */
export function exportCanvas(size: Size, colors: Colors, title: string, draw: (g: CanvasRenderingContext2D, size: Size) => void, scale = exportScale): HTMLCanvasElement {
  const head = title ? 24 : 0;
  const out = document.createElement('canvas');
  out.width = Math.round(size.width * scale);
  out.height = Math.round((size.height + head) * scale);
  const g = out.getContext('2d')!;
  g.scale(scale, scale);
  g.fillStyle = colors.bg ?? '#161b22';
  g.fillRect(0, 0, size.width, size.height + head);
  if (title) {
    g.fillStyle = colors.fg;
    g.font = '600 13px sans-serif';
    g.fillText(title, 8, 17);
  }
  // The drawing functions clear their canvas first: they draw on a layer of their own, laid over the background.
  const layer = document.createElement('canvas');
  layer.width = out.width;
  layer.height = Math.round(size.height * scale);
  const lg = layer.getContext('2d')!;
  lg.scale(scale, scale);
  draw(lg, size);
  g.setTransform(1, 0, 0, 1, 0, 0);
  g.drawImage(layer, 0, Math.round(head * scale));
  return out;
}
