/** The tfjs backends latentflow can train on, best first (tfjs-free: the UI thread and the CLI's arguments use it). */
export const backendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

/** The backend a string names, or undefined (a URL's `?backend=`, a CLI flag). */
export function backendNamed(name: string | null | undefined): BackendName | undefined {
  return backendNames.find((b) => b === name);
}
