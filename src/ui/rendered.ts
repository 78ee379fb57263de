import type { ReactiveControllerHost } from 'lit';

/**
 * Lit's `@state` for a reactive controller's field: setting it to another value makes the host render
 * again. The controller keeps its host as `host` (https://lit.dev/docs/composition/controllers/).
 */
export function rendered(proto: object, key: string): void {
  const slot = Symbol(key);
  Object.defineProperty(proto, key, {
    get(this: Record<symbol, unknown>) {
      return this[slot];
    },
    set(this: Record<symbol, unknown> & { host?: ReactiveControllerHost }, value: unknown) {
      if (this[slot] === value) return;
      this[slot] = value;
      this.host?.requestUpdate();
    },
    configurable: true,
    enumerable: true,
  });
}
