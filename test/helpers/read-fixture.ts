/**
 * Reads files of this repository from DOM-free tests, in both places they run: in the browser
 * web-test-runner serves the repository root, so a fetch works; in Node the file is read from disk.
 */

const inNode = typeof window === 'undefined';

/** The text of a file, by its path from the repository root (e.g. `graphs/font-ae.json`). */
export async function readRepoFile(path: string): Promise<string> {
  if (inNode) {
    // A variable specifier keeps bundlers (esbuild in web-test-runner, vite) from resolving it.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return fs.readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
  }
  const response = await fetch(`/${path}`);
  if (!response.ok) throw new Error(`cannot fetch /${path}: HTTP ${response.status}`);
  return response.text();
}

/** The text of a file under `test/fixtures/` (e.g. `broken/cycle.json`). */
export function readFixture(relPath: string): Promise<string> {
  return readRepoFile(`test/fixtures/${relPath}`);
}
