import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** PyTorch's steps/s on one workload: the best of 1 thread and every core. */
export interface PeerResult { workload: string; threads: number; stepsPerSec: number; samplesPerSec: number }
export interface PeerRun { torch: string; cores: number; python: string; results: PeerResult[] }

/** Debian's PyTorch lives in the system Python; a pyenv `python3` earlier on PATH does not have it. LATENTFLOW_PYTHON picks one. */
const candidates = process.env.LATENTFLOW_PYTHON ? [process.env.LATENTFLOW_PYTHON] : ['/usr/bin/python3', 'python3'];

/** The first Python that imports torch, or null. */
export function findTorchPython(): string | null {
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return null;
}

export const noTorchHint = `PyTorch not found (tried ${candidates.join(' and ')}): \`apt-get install python3-torch libopenblas0-pthread\` (Debian) or \`pip install torch\`; the PyTorch column is left out`;

/** Runs bench/peer.py on the given workloads (keys of its WORKLOADS); throws with its stderr when it fails. */
export function runPeer(python: string, workloads: string[], quick: boolean): PeerRun {
  const args = [join(import.meta.dirname, 'peer.py'), '--workloads', workloads.join(','), ...(quick ? ['--quick'] : [])];
  const r = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench/peer.py failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Omit<PeerRun, 'python'>;
  return { ...out, python };
}

/** The best result per workload. */
export function bestPeer(run: PeerRun): Map<string, PeerResult> {
  const best = new Map<string, PeerResult>();
  for (const r of run.results) if ((best.get(r.workload)?.stepsPerSec ?? 0) < r.stepsPerSec) best.set(r.workload, r);
  return best;
}
