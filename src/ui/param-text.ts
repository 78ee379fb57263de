import type { ParamSpec } from '../graph';

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
