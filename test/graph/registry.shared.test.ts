// One check walks every registered node kind (ARCHITECTURE §3): listed once, well-formed declarations,
// defaults inside their ranges, pure shape inference, migrations complete and pure.
import { expect } from '@esm-bundle/chai';
import {
  categories, checkParam, defaultParams, socketTypes,
  type KindSpec, type MetricsOf, type ParamSpec, type Shape,
} from '../../src/graph';
import { nodeKinds, registry } from '../../nodes';

const metricsKinds: readonly MetricsOf[] = ['curve', 'points', 'images', 'pixel-errors', 'ranking'];
const forbiddenNames = ['__proto__', 'constructor', 'prototype'];
const socketName = /^[a-z][A-Za-z0-9]*$/;
const paramName = /^[a-z][A-Za-z0-9]*$/;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const image = [7, 5, 1] as const;
const origin = { features: 35, image };

/** A plausible shape for each input socket type; the metrics and latent flavours vary. */
function plausible(type: string, of: MetricsOf, gaussian: boolean): Shape {
  switch (type) {
    case 'dataset': return { type: 'dataset', features: 35, image, samples: 32 };
    case 'batch': return { type: 'batch', features: 35, image, origin, samples: 32 };
    case 'latent': return { type: 'latent', dim: 2, gaussian, origin };
    case 'model': return { type: 'model', inputs: 2, outputs: 35, image };
    case 'loss': return { type: 'loss' };
    default: return { type: 'metrics', of };
  }
}

/** Input shape sets to try: every metrics flavour × deterministic/gaussian latents × optional inputs on/off. */
function inputVariants(k: KindSpec): Record<string, Shape | undefined>[] {
  const out: Record<string, Shape | undefined>[] = [];
  for (const of of metricsKinds) {
    for (const gaussian of [false, true]) {
      for (const withOptional of [true, false]) {
        const inputs: Record<string, Shape | undefined> = {};
        for (const [name, s] of Object.entries(k.inputs)) {
          inputs[name] = s.optional && !withOptional ? undefined : plausible(s.type, of, gaussian);
        }
        out.push(inputs);
      }
    }
  }
  return out;
}

function checkSpecShape(name: string, p: ParamSpec): void {
  const at = `param ${name}`;
  if (p.type === 'number' || p.type === 'int' || p.type === 'int-list' || p.type === 'number-list') {
    expect(Number.isFinite(p.min) && Number.isFinite(p.max), `${at}: finite range`).to.equal(true);
    expect(p.min, `${at}: min ≤ max`).to.be.at.most(p.max);
  }
  if (p.type === 'int' || p.type === 'int-list') {
    expect(Number.isInteger(p.min) && Number.isInteger(p.max), `${at}: integer bounds`).to.equal(true);
  }
  if (p.type === 'int-list' || p.type === 'number-list' || p.type === 'choice-list') {
    expect(p.minLength, `${at}: minLength ≤ maxLength`).to.be.at.most(p.maxLength);
  }
  if (p.type === 'choice' || p.type === 'choice-list') {
    expect(p.options.length, `${at}: has options`).to.be.above(0);
    expect(new Set(p.options).size, `${at}: options unique`).to.equal(p.options.length);
  }
  if (p.type === 'string') expect(p.maxLength, `${at}: maxLength`).to.be.above(0);
  if (!p.optional) expect(p.default, `${at}: only optional params default to null`).not.to.equal(null);
}

describe('node registry (nodes/index.ts)', () => {
  it('lists every kind once, and the catalog finds each by its id', () => {
    const ids = nodeKinds.map((k) => k.kind);
    expect(new Set(ids).size, 'ids unique').to.equal(ids.length);
    expect(new Set(nodeKinds).size, 'objects unique').to.equal(nodeKinds.length);
    expect(registry.all()).to.deep.equal(nodeKinds);
    for (const k of nodeKinds) expect(registry.get(k.kind)).to.equal(k);
    expect(registry.get('no.such-kind')).to.equal(undefined);
  });

  it('has a kind in every category the inspector shows', () => {
    const used = new Set(nodeKinds.map((k) => k.category));
    expect([...categories].filter((c) => !used.has(c))).to.deep.equal([]);
  });

  for (const k of nodeKinds) {
    describe(k.kind, () => {
      it('is declared well: family.variant id, version, title, category, typed sockets', () => {
        expect(k.kind).to.match(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/);
        expect(Number.isInteger(k.version) && k.version >= 1, 'version').to.equal(true);
        expect(k.title.trim(), 'title').not.to.equal('');
        expect(categories).to.include(k.category);
        for (const [side, sockets] of [['input', k.inputs], ['output', k.outputs]] as const) {
          for (const [name, s] of Object.entries(sockets)) {
            expect(name, `${side} name`).to.match(socketName);
            expect(socketTypes, `${side} ${name} type`).to.include(s.type);
            for (const flag of ['optional', 'multi'] as const) {
              expect(['undefined', 'boolean'], `${side} ${name}.${flag}`).to.include(typeof s[flag]);
              if (side === 'output') expect(s[flag], `output ${name}.${flag}`).to.equal(undefined);
            }
          }
        }
      });

      it('has params with sane specs and defaults inside their ranges', () => {
        for (const [name, p] of Object.entries(k.params)) {
          expect(name).to.match(paramName);
          expect(forbiddenNames).not.to.include(name);
          checkSpecShape(name, p);
          expect(checkParam(p, p.default), `default of ${name}`).to.deep.equal([]);
        }
      });

      it('has a migration for every older kindVersion, and each is pure', () => {
        const steps = k.migrations ?? {};
        const expected = Array.from({ length: k.version - 1 }, (_, i) => String(i + 1));
        expect(Object.keys(steps).sort(), 'migrations[1 … version-1]').to.deep.equal(expected.sort());
        for (const [n, step] of Object.entries(steps)) {
          expect(step, `migrations[${n}]`).to.be.a('function');
          const input = deepFreeze({ ...defaultParams(k.params), legacySetting: [1, 2], learningRate: 0.01 });
          const snapshot = JSON.stringify(input);
          const once = step(input);
          expect(JSON.stringify(input), 'input unchanged').to.equal(snapshot);
          expect(once, 'a new object').not.to.equal(input);
          expect(step(input), 'same result twice').to.deep.equal(once);
        }
      });

      it('infers shapes from default params without throwing, purely', () => {
        expect(k.infer, 'has infer').to.be.a('function');
        const params = deepFreeze(defaultParams(k.params));
        let clean = 0;
        for (const inputs of inputVariants(k)) {
          deepFreeze(inputs);
          const first = k.infer!(inputs, params);
          expect(k.infer!(inputs, params), 'same result twice').to.deep.equal(first);
          for (const [name, shape] of Object.entries(first.outputs)) {
            expect(k.outputs, `output ${name} is declared`).to.have.property(name);
            expect(shape.type, `output ${name} shape type`).to.equal(k.outputs[name]!.type);
          }
          if (first.paramCount !== undefined) expect(Number.isInteger(first.paramCount) && first.paramCount >= 0, 'paramCount').to.equal(true);
          for (const issue of first.issues ?? []) expect(issue.message).to.be.a('string').and.not.equal('');
          if (!first.issues?.length) clean++;
        }
        expect(clean, 'some plausible inputs give no issues at defaults').to.be.above(0);
      });

      it('infers every declared output when all inputs are there (defaults, matching shapes)', () => {
        const outputs = new Set<string>();
        for (const inputs of inputVariants(k)) {
          const r = k.infer!(inputs, defaultParams(k.params));
          if (!r.issues?.length) Object.keys(r.outputs).forEach((o) => outputs.add(o));
        }
        expect([...outputs].sort()).to.deep.equal(Object.keys(k.outputs).sort());
      });
    });
  }
});
