// Copies the tfjs wasm binaries to public/wasm/ (served at /wasm/, see setWasmPaths('/wasm/') in the app).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const dest = join(root, 'public/wasm');

mkdirSync(dest, { recursive: true });
const files = readdirSync(src).filter((f) => f.endsWith('.wasm'));
if (files.length === 0) {
  console.error(`copy-wasm: no .wasm files in ${src} (run npm ci)`);
  process.exit(1);
}
for (const f of files) copyFileSync(join(src, f), join(dest, f));
console.log(`copy-wasm: ${files.length} files -> public/wasm/`);
