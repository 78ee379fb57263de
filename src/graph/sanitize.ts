import { limits } from './limits';
import { isReservedName } from './names';
import type { Problem } from './problems';
import { errorMessage } from '../lib/error-message';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Copies untrusted input into plain JSON data, bounded in depth, width and string length.
 * Hostile keys are dropped, non-JSON values (NaN, functions, cycles) refused, with a Problem each.
 * Never throws.
 */
export function sanitize(input: unknown, problems: Problem[]): Json | undefined {
  const seen = new Set<object>();
  let budget = 200_000; // total values visited: bounds the work on any input
  const walk = (v: unknown, path: string, depth: number): Json | undefined => {
    if (--budget < 0) {
      if (budget === -1) problems.push({ severity: 'error', path, message: 'the file is too large to read (too many values)' });
      return undefined;
    }
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      problems.push({ severity: 'error', path, message: `must be a finite number, got ${String(v)}` });
      return undefined;
    }
    if (typeof v === 'string') {
      if (v.length <= limits.stringChars) return v;
      problems.push({ severity: 'error', path, message: `text is too long (${v.length} characters, at most ${limits.stringChars})` });
      return undefined;
    }
    if (typeof v !== 'object') {
      problems.push({ severity: 'error', path, message: `is not JSON data (${typeof v})` });
      return undefined;
    }
    if (depth >= limits.depth) {
      problems.push({ severity: 'error', path, message: `is nested too deeply (more than ${limits.depth} levels)` });
      return undefined;
    }
    if (seen.has(v)) {
      problems.push({ severity: 'error', path, message: 'refers to itself (a cycle), which a file cannot hold' });
      return undefined;
    }
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        if (v.length > limits.arrayItems) {
          problems.push({ severity: 'error', path, message: `has too many items (${v.length}, at most ${limits.arrayItems})` });
          return undefined;
        }
        const out: Json[] = [];
        for (let i = 0; i < v.length; i++) {
          const item = walk(v[i], `${path}[${i}]`, depth + 1);
          if (item === undefined) return undefined;
          out.push(item);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        problems.push({ severity: 'error', path, message: 'is not plain JSON data' });
        return undefined;
      }
      const keys = Object.keys(v);
      if (keys.length > limits.objectKeys) {
        problems.push({ severity: 'error', path, message: `has too many fields (${keys.length}, at most ${limits.objectKeys})` });
        return undefined;
      }
      const out: { [key: string]: Json } = {};
      for (const key of keys) {
        const childPath = path ? `${path}.${key}` : key;
        if (isReservedName(key)) { // a key every object already has: see names.ts
          problems.push({ severity: 'warning', path: childPath, message: `the field "${key}" is not allowed and was dropped` });
          continue;
        }
        const raw = (v as Record<string, unknown>)[key];
        if (raw === undefined) continue; // absent, as JSON.stringify treats it
        const item = walk(raw, childPath, depth + 1);
        if (item === undefined) return undefined;
        Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  try {
    return walk(input, '', 0);
  } catch (e) {
    problems.push({ severity: 'error', path: '', message: `could not be read (${errorMessage(e).slice(0, 100)})` });
    return undefined;
  }
}

/** Parses graph text with its size checked first. Never throws. */
export function parseJsonText(text: string, problems: Problem[]): unknown {
  if (text.length > limits.fileChars) {
    problems.push({ severity: 'error', path: '', message: `the file is too large (${text.length} characters, at most ${limits.fileChars})` });
    return undefined;
  }
  try {
    // Editors on Windows often start files with a byte-order mark.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (e) {
    const detail = errorMessage(e).slice(0, 160);
    problems.push({ severity: 'error', path: '', message: `the file is not valid JSON: ${detail}` });
    return undefined;
  }
}
