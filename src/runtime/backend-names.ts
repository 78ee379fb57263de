/** The tfjs backends latentflow can train on, best first (tfjs-free: the UI thread and the CLI's arguments use it). */
export const backendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

/** Where each backend trains, in words (the app's backend badge). */
export const backendWords: Record<BackendName, string> = {
  webgpu: 'the GPU, through WebGPU', webgl: 'the GPU, through WebGL', wasm: 'the CPU, as WebAssembly', cpu: 'the CPU, as plain JavaScript (the slowest)',
};

/** The backend a string names, or undefined (a URL's `?backend=`, a CLI flag). */
export function backendNamed(name: string | null | undefined): BackendName | undefined {
  return backendNames.find((b) => b === name);
}
