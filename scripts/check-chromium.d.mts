/** Types of scripts/check-chromium.mjs (a plain script so that `npm test` runs it before any TypeScript loader). */
export function chromiumCandidates(): string[];
export function findChromium(): string | null;
export function chromiumHint(): string;
