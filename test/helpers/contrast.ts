/** WCAG contrast ratio of two colours, each `#rrggbb` or a computed `rgb(r, g, b)`. */
export function contrast(a: string, b: string): number {
  const channels = (c: string) => c.startsWith('#') ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) : c.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number);
  const lum = (c: string) => {
    const [r, g, bl] = channels(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}
