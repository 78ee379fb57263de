/**
 * Names a user chooses (node ids, edge ids, param keys, tensor names) and the objects keyed by them.
 *
 * THE RULE (issue 13, decided once, enforced here):
 * 1. The format refuses a name that every JavaScript object already has (`constructor`, `toString`,
 *    `hasOwnProperty`, `__proto__`…: the members of `Object.prototype`, plus `prototype`). A node or
 *    edge id like that is refused by the schema (`idSchema`); `loadGraph` renames it in older files
 *    (`constructor` → `constructor_1`, unique) with a warning, and `sanitize` drops such a key from
 *    any object in a file (param keys included) with a warning. Bundles refuse such tensor names.
 * 2. Defence in depth, because weights and bundles come from files too: every object keyed by a
 *    user-chosen name (weights by node and tensor, loss terms, metric results, seed summaries) is
 *    made with `dict()`, which has no prototype, and is read with `own()`. No code path writes
 *    through a user-chosen key onto a shared object.
 */

/** Every name a plain object answers to without owning it, in any JavaScript engine we run on. */
export const reservedNames: ReadonlySet<string> = new Set([
  'constructor', 'prototype', '__proto__', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
  'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'toLocaleString', 'valueOf',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** True for `constructor`, `toString`, `__proto__`… (see `reservedNames`). */
export function isReservedName(name: string): boolean {
  return reservedNames.has(name);
}

/** The message a reserved name gets, wherever it is refused. */
export const reservedNameMessage = 'must not be a name every JavaScript object already has (like "constructor", "toString" or "__proto__")';

/**
 * A string-keyed record without a prototype: `dict()['toString']` is undefined until set, and
 * setting `__proto__` makes an own entry instead of changing a prototype. JSON.stringify, spreads
 * and Object.entries treat it like any object.
 */
export function dict<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (entries) for (const [k, v] of entries) out[k] = v;
  return out;
}

/** `record[key]` only when the record owns it (never a built-in such as `toString`). */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** `base_1`, `base_2`…: the first that is neither taken nor reserved. */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  for (let n = 1; ; n++) {
    const name = `${base}_${n}`;
    if (!taken(name) && !isReservedName(name)) return name;
  }
}
