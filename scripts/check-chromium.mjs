// Finds a Chrome-family browser for the browser tests, the screenshot script and the browser benchmarks:
// CHROME_PATH first, then every installation chrome-launcher (the launcher @web/test-runner-chrome itself
// uses) can discover on this OS (google-chrome, chromium, chromium-browser, Chrome/Chromium/Edge on macOS and
// Windows). The first that answers `--version` wins. Prints how to install one only when none works.
import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Launcher } from 'chrome-launcher';

/** Candidate browser paths in order of preference (CHROME_PATH, then chrome-launcher's ranking). */
export function chromiumCandidates() {
  const out = [];
  if (process.env.CHROME_PATH) out.push(process.env.CHROME_PATH);
  try {
    out.push(...Launcher.getInstallations());
  } catch {
    // chrome-launcher throws when it finds nothing (or CHROME_PATH points nowhere); the list stays as it is
  }
  out.push('/usr/bin/chromium'); // Debian's package, in case `which` is missing
  return [...new Set(out)];
}

/** The first candidate that runs, or null. */
export function findChromium() {
  for (const path of chromiumCandidates()) {
    try {
      accessSync(path, constants.X_OK);
      execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 30000 });
      return path;
    } catch {
      // not usable; try the next one
    }
  }
  return null;
}

/** What to print when no browser was found: how to get one on this OS. */
export function chromiumHint() {
  const how = {
    linux: 'install one (Debian/Ubuntu: `sudo apt-get install -y chromium`; Fedora: `sudo dnf install chromium`)',
    darwin: 'install Google Chrome or Chromium (e.g. `brew install --cask chromium`)',
    win32: 'install Google Chrome or Microsoft Edge',
  }[process.platform] ?? 'install Google Chrome or Chromium';
  return `No Chrome-family browser found (tried CHROME_PATH and the usual install locations): ${how}, or set CHROME_PATH=/path/to/chrome`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findChromium();
  if (!found) {
    console.error(chromiumHint());
    process.exit(1);
  }
  console.log(found);
}
