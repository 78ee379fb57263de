import type { Params } from '../src/graph';
import type { DenseStackParams } from './dense-params';

/** Pieces of node summaries (the key params on a node's face), shared by the kinds that have them alike. */

/** A number as people write it: 0.005, 1e-4, 2000, 0.1. */
export function short(v: unknown): string {
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  if (n !== 0 && Math.abs(n) < 0.001) return n.toExponential(0);
  return String(Number(n.toPrecision(3)));
}

/** The pieces that are present, joined with middle dots. */
export function joined(...parts: (string | false | null | undefined)[]): string {
  return parts.filter((p): p is string => !!p).join(' · ');
}

/** A dense stack: its activation (or per-layer ones) and its layer sizes ("tanh 64 → 32"). */
export function denseSummary(p: DenseStackParams, out?: string): string {
  const units = p.units;
  const per = p.activations;
  const act = per && per.length ? per.join('/') : String(p.activation);
  const extras = [Number(p.dropout) > 0 && `dropout ${short(p.dropout)}`, p.batchNorm === true && 'batch norm'];
  // No hidden layer: only the output's activation says anything ("relu output", not "relu · relu").
  if (!units.length && out) return joined(`${out} output`, ...extras);
  // The activation before the sizes it applies to, without a dot between ("relu 256 → 512 → sigmoid" fits a node).
  return joined([act, [...units.map(String), ...(out ? [out] : [])].join(' → ')].filter(Boolean).join(' '), ...extras);
}

/** A noise level, fixed or drawn per epoch ("p 0.1", "p 0–0.15 per epoch"). */
export function noiseSummary(p: Params, name: string, title: string): string {
  const level = p.mode === 'random-per-epoch' ? `${name} ${short(p[`${name}Min`])}–${short(p[`${name}Max`])} per epoch` : `${name} ${short(p[name])}`;
  return joined(title, level);
}
