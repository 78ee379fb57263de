import { own } from './names';
import { describeValue, type Problem } from './problems';

/** The vocabulary a node kind declares its params with; the inspector and validator read it. */
interface ParamBase<T> {
  default: T;
  label?: string;
  help?: string;
  /** Changing it during training takes effect at the next step (no restart). */
  live?: boolean;
  /** `null` is allowed and means "not set". */
  optional?: boolean;
  /** Changes the shapes of the plan (units, latent size). Non-structural params never do. */
  structural?: boolean;
  /** The param only matters when the node's other params are so (momentum only for the momentum optimizer); absent: always. */
  when?: ParamCondition;
}

/** A plain value another param is compared with. */
export type ParamLiteral = string | number | boolean | null;
/**
 * When a param applies, by the values of the node's other params, all of which must hold:
 * a value (equal), a list (one of them) or `{ not: value }`.
 */
export type ParamCondition = Readonly<Record<string, ParamLiteral | readonly ParamLiteral[] | { readonly not: ParamLiteral }>>;

export interface NumberParam extends ParamBase<number | null> { type: 'number'; min: number; max: number; step?: number; log?: boolean }
export interface IntParam extends ParamBase<number | null> { type: 'int'; min: number; max: number }
export interface IntListParam extends ParamBase<number[] | null> { type: 'int-list'; min: number; max: number; minLength: number; maxLength: number }
export interface NumberListParam extends ParamBase<number[] | null> { type: 'number-list'; min: number; max: number; minLength: number; maxLength: number }
export interface ChoiceParam<T extends string = string> extends ParamBase<T | null> { type: 'choice'; options: readonly T[] }
export interface ChoiceListParam<T extends string = string> extends ParamBase<T[] | null> { type: 'choice-list'; options: readonly T[]; minLength: number; maxLength: number }
export interface BoolParam extends ParamBase<boolean | null> { type: 'bool' }
export interface StringParam extends ParamBase<string | null> { type: 'string'; maxLength: number }

export type ParamSpec = NumberParam | IntParam | IntListParam | NumberListParam | ChoiceParam | ChoiceListParam | BoolParam | StringParam;
export type ParamValue = number | boolean | string | number[] | string[] | null;

/** The value a param declared by `S` holds in a node's params (defaults filled in): `null` only where `optional`. */
export type ValueOf<S extends ParamSpec> =
  | (S extends ChoiceParam<infer T> ? T : S extends ChoiceListParam<infer T> ? T[] : S extends NumberParam | IntParam ? number
    : S extends IntListParam | NumberListParam ? number[] : S extends BoolParam ? boolean : string)
  | (S extends { optional: true } ? null : never);

/** A kind's params as its code reads them, typed from their declarations (`params: { units: int(...) }` gives `{ units: number }`). */
export type ParamsOf<P extends Record<string, ParamSpec>> = { [K in keyof P]: ValueOf<P[K]> };

type Extra = Pick<ParamBase<unknown>, 'label' | 'help' | 'live' | 'structural' | 'when'>;

export function number(o: { min: number; max: number; default: number; step?: number; log?: boolean } & Extra): NumberParam {
  return { type: 'number', ...o };
}
export function int(o: { min: number; max: number; default: number } & Extra): IntParam {
  return { type: 'int', ...o };
}
export function intList(o: { min: number; max: number; default: number[]; minLength?: number; maxLength?: number } & Extra): IntListParam {
  return { type: 'int-list', minLength: 0, maxLength: 16, ...o };
}
export function numberList(o: { min: number; max: number; default: number[]; minLength?: number; maxLength?: number } & Extra): NumberListParam {
  return { type: 'number-list', minLength: 0, maxLength: 64, ...o };
}
export function choice<const T extends string>(o: { options: readonly T[]; default: T } & Extra): ChoiceParam<T> {
  return { type: 'choice', ...o };
}
export function choiceList<const T extends string>(o: { options: readonly T[]; default: T[]; minLength?: number; maxLength?: number } & Extra): ChoiceListParam<T> {
  return { type: 'choice-list', minLength: 0, maxLength: 16, ...o };
}
export function bool(o: { default: boolean } & Extra): BoolParam {
  return { type: 'bool', ...o };
}
export function string(o: { default: string; maxLength?: number } & Extra): StringParam {
  return { type: 'string', maxLength: 1000, ...o };
}
/** Makes a param optional: its default becomes `null` ("not set") unless given. */
export function optional<S extends ParamSpec>(spec: S, defaultValue: S['default'] = null): S & { optional: true } {
  return { ...spec, optional: true, default: defaultValue } as S & { optional: true };
}

/** One thing wrong with a param value; `index` points into a list. */
export interface ParamIssue { message: string; index?: number }

function rangeText(s: { min: number; max: number }): string {
  return `from ${s.min} to ${s.max}`;
}

function checkScalar(spec: ParamSpec, v: unknown, what: 'an integer' | 'a number'): string | undefined {
  const s = spec as NumberParam | IntParam;
  if (typeof v !== 'number' || !Number.isFinite(v) || (what === 'an integer' && !Number.isInteger(v)) || v < s.min || v > s.max) {
    return `must be ${what} ${rangeText(s)}, got ${describeValue(v)}`;
  }
  return undefined;
}

function checkList(spec: IntListParam | NumberListParam | ChoiceListParam, v: unknown, item: (x: unknown) => string | undefined): ParamIssue[] {
  const kind = spec.type === 'choice-list' ? 'a list of choices' : spec.type === 'int-list' ? 'a list of integers' : 'a list of numbers';
  if (!Array.isArray(v)) return [{ message: `must be ${kind}, got ${describeValue(v)}` }];
  if (v.length < spec.minLength || v.length > spec.maxLength) {
    return [{ message: `must have ${spec.minLength === spec.maxLength ? spec.minLength : `${spec.minLength} to ${spec.maxLength}`} items, got ${v.length}` }];
  }
  const issues: ParamIssue[] = [];
  v.forEach((x, index) => {
    const m = item(x);
    if (m) issues.push({ message: m, index });
  });
  return issues;
}

/** Checks a value against its spec; an empty list means it is valid. */
export function checkParam(spec: ParamSpec, v: unknown): ParamIssue[] {
  if (v === null && spec.optional) return [];
  const one = (m: string | undefined): ParamIssue[] => (m ? [{ message: m }] : []);
  switch (spec.type) {
    case 'number': return one(checkScalar(spec, v, 'a number'));
    case 'int': return one(checkScalar(spec, v, 'an integer'));
    case 'bool': return one(typeof v === 'boolean' ? undefined : `must be true or false, got ${describeValue(v)}`);
    case 'string':
      return one(typeof v !== 'string' ? `must be text, got ${describeValue(v)}`
        : v.length > spec.maxLength ? `must be at most ${spec.maxLength} characters, got ${v.length}` : undefined);
    case 'choice':
      return one(typeof v === 'string' && spec.options.includes(v) ? undefined : `must be one of ${spec.options.join(', ')}; got ${describeValue(v)}`);
    case 'int-list':
      return checkList(spec, v, (x) => checkScalar(spec as unknown as IntParam, x, 'an integer'));
    case 'number-list':
      return checkList(spec, v, (x) => checkScalar(spec as unknown as NumberParam, x, 'a number'));
    case 'choice-list':
      return checkList(spec, v, (x) => (typeof x === 'string' && spec.options.includes(x) ? undefined : `must be one of ${spec.options.join(', ')}; got ${describeValue(x)}`));
  }
}

/**
 * Why a running network refuses a change of one of a node's params, or null when it takes it: an unknown
 * param, a structural one (it needs a new run) or a value its spec rejects. The one check behind
 * `Run.setParam`, whether the run trains here (src/runtime/run.ts) or in a Worker (the client answers at once).
 */
export function liveParamProblem(node: { id: string; kind: string; specs: Readonly<Record<string, ParamSpec>> } | undefined, nodeId: string, name: string, value: unknown): Problem | null {
  const spec = own(node?.specs, name);
  if (!node || !spec) return { severity: 'error', path: '', nodeId, message: `no param ${name} on node "${nodeId}"` };
  const about = { severity: 'error', path: '', nodeId, kind: node.kind, param: name } as const;
  if (!spec.live) return { ...about, message: `params.${name} changes the network's structure: edit it and start a new run` };
  const issues = checkParam(spec, value);
  return issues.length ? { ...about, message: `params.${name} ${issues[0]!.message}` } : null;
}

/** A fresh copy of a param's default (lists are never shared between nodes). */
export function defaultOf(spec: ParamSpec): ParamValue {
  const d = spec.default;
  return Array.isArray(d) ? [...d] as ParamValue : d;
}

/** All params of a kind at their defaults. */
export function defaultParams(specs: Record<string, ParamSpec>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = defaultOf(spec);
  return out;
}

/**
 * A node's params as its kind's code reads them (typed from the declarations, `ParamsOf`): every declared
 * param, a missing one at its default; null when a value fails its check (the validator reports it), so a
 * broken file's value never reaches a kind's label or summary, and neither does a made-up one.
 */
export function kindParams<P extends Record<string, ParamSpec>>(specs: P, params: Readonly<Record<string, unknown>>): ParamsOf<P> | null {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const v = own(params, name);
    if (v === undefined) out[name] = defaultOf(spec);
    else if (checkParam(spec, v).length === 0) out[name] = v as ParamValue;
    else return null;
  }
  // Every declared param is here and passed its declaration's check: the one place params become typed.
  return out as ParamsOf<P>;
}

/** Whether a param applies with the node's current params (its `when` condition holds). */
export function paramApplies(spec: ParamSpec, params: Readonly<Record<string, unknown>>): boolean {
  if (!spec.when) return true;
  return Object.entries(spec.when).every(([other, want]) => {
    const v = Object.hasOwn(params, other) ? params[other] : undefined;
    if (Array.isArray(want)) return want.includes(v as ParamLiteral);
    if (want !== null && typeof want === 'object') return v !== (want as { not: ParamLiteral }).not;
    return v === want;
  });
}

/** A param's name for people: its declared label, else its name with camelCase split ("decayEvery" → "decay every", "pMin" → "p min"). */
export function paramLabel(name: string, spec: Pick<ParamSpec, 'label'>): string {
  if (spec.label) return spec.label;
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase();
}
