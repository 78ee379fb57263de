// Fails fast with an actionable message when no Chromium is available for the browser tests.
import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';

export function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium'].filter(Boolean);
  for (const path of candidates) {
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

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!findChromium()) {
    console.error(
      'Chromium not found: install it with `apt-get install -y chromium` or set CHROME_PATH=/path/to/chrome',
    );
    process.exit(1);
  }
}
