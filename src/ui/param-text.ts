import type { IntParam, NumberParam, ParamSpec } from '../graph';

/** Shows a param value in a text field: lists as "60, 50, 30", not set as empty. */
export function paramToText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** A number as a person writes it: "-1", "0.005", ".5", "1e-4" (not "0x10", "Infinity" or "1,5"). */
const numberText = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** Reads what a person typed into a value for the spec; the result is then checked with checkParam. */
export function parseParamText(spec: ParamSpec, text: string): unknown {
  const t = text.trim();
  if (t === '' && spec.optional) return null;
  switch (spec.type) {
    case 'number':
    case 'int':
      // Anything else stays text, so the check says what was typed ('must be … got "-"').
      return numberText.test(t) ? Number(t) : t;
    case 'int-list':
    case 'number-list':
      return t === '' ? [] : t.split(/[\s,;]+/).filter(Boolean).map((x) => (numberText.test(x) ? Number(x) : x));
    case 'choice-list':
      return t === '' ? [] : t.split(/[\s,;]+/).filter(Boolean);
    case 'bool':
      return t === 'true';
    default:
      return text;
  }
}

/** A linear number param's step where it declares none: a hundredth of its range, down to a power of ten. */
export function niceStep(min: number, max: number): number {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return 0.01;
  return 10 ** Math.floor(Math.log10(span / 100));
}

/**
 * The value ArrowUp (`direction` 1) or ArrowDown (-1) moves a number param to, within its range: an int by 1, a
 * number by its declared step (else `niceStep`), Shift by ten steps; a logarithmic number (a learning rate)
 * to the next of 1, 2, 5, 10, 20, … (Shift: ×10 or ÷10), never onto 0. Rounded to the step, so 0.1 + 0.2 is 0.3.
 */
export function steppedValue(spec: NumberParam | IntParam, value: number, direction: 1 | -1, big = false): number {
  const clamp = (v: number) => Math.min(spec.max, Math.max(spec.min, v));
  if (spec.type === 'number' && spec.log && value > 0) {
    if (big) return clamp(Number((value * 10 ** direction).toPrecision(12)));
    const decade = 10 ** Math.floor(Math.log10(value) + 1e-9);
    const ladder = [-2, -1, 0, 1].flatMap((d) => [1, 2, 5].map((m) => Number((m * decade * 10 ** d).toPrecision(12))));
    const next = direction > 0 ? ladder.find((v) => v > value * (1 + 1e-9)) : ladder.reverse().find((v) => v < value * (1 - 1e-9));
    return next === undefined ? value : clamp(next);
  }
  const step = spec.type === 'int' ? 1 : (spec.step ?? niceStep(spec.min, spec.max));
  const places = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) + 2;
  // Onto the step's grid first (0.123 goes up to 0.13 with a step of 0.01), then one or ten steps on.
  const onGrid = Math.round(value / step) * step;
  const moved = Math.abs(onGrid - value) > step * 1e-9 && Math.sign(onGrid - value) === direction ? onGrid : onGrid + direction * step * (big ? 10 : 1);
  return clamp(Number(moved.toFixed(places)));
}
