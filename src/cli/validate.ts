import { open, stat } from 'node:fs/promises';
import { formatProblem, hasErrors, limits, loadGraph, type Problem } from '../graph';
import { registry } from '../../nodes';
import { exitCodes, printLines, type CliIO } from './io';
import { errorMessage } from '../lib/error-message';

export const validateUsage = `Usage: latentflow validate FILE...

Checks graph files as the app would load them: format, versions, node kinds, params, edges,
shapes and sizes. Prints each problem as \`FILE: node "id" (kind): message\`, or
\`FILE: ok (…)\` for a file without errors.

Exit status: 0 no errors, 1 some file has errors, 2 some file cannot be read.`;

/** Why a file cannot be read, in a few words. */
function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a folder in its path is a file';
  return errorMessage(e).split('\n')[0]!.slice(0, 200);
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

type Outcome = 'ok' | 'problems' | 'unreadable';

/**
 * Reads one graph file with its size bounded before anything is allocated; a string, or why not.
 * Anything but a regular file (a FIFO, /dev/zero, a directory) is refused before it is read.
 */
export async function readGraphText(file: string): Promise<{ text: string } | { unreadable: string } | { problem: Problem }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { unreadable: 'is a directory' };
    if (!info.isFile()) return { unreadable: 'is not a regular file' };
    // UTF-8 takes at most 4 bytes a character: a bigger file is over the limit whatever it holds.
    const max = limits.fileChars * 4;
    const tooLarge = (size: string) => ({ problem: { severity: 'error' as const, path: '', message: `the file is too large (${size} bytes, at most ${limits.fileChars.toLocaleString('en-US')} characters)` } });
    if (info.size > max) return tooLarge(info.size.toLocaleString('en-US'));
    // Read no more than that either: a file in /proc (pagemap: stat says 0 bytes, it holds gigabytes) or
    // one that grows while it is read is not bounded by its stat size (issue 13).
    const bytes = await readAtMost(file, max + 1);
    if (bytes.length > max) return tooLarge(`more than ${max.toLocaleString('en-US')}`);
    return { text: new TextDecoder().decode(bytes) };
  } catch (e) {
    return { unreadable: readFailure(e) };
  }
}

/** The first `limit` bytes of a file (all of it when smaller), read from one handle. */
async function readAtMost(file: string, limit: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const out = new Uint8Array(limit);
    let size = 0;
    while (size < limit) {
      const { bytesRead } = await handle.read(out, size, Math.min(limit - size, 1 << 20), null);
      if (bytesRead === 0) break;
      size += bytesRead;
    }
    return out.subarray(0, size);
  } finally {
    await handle.close();
  }
}

async function validateFile(file: string, io: CliIO): Promise<Outcome> {
  const read = await readGraphText(file);
  if ('unreadable' in read) {
    io.err(`${file}: cannot read: ${read.unreadable}`);
    return 'unreadable';
  }
  const { doc, problems, check } = 'problem' in read ? { doc: null, problems: [read.problem], check: undefined } : loadGraph(read.text, registry);
  for (const p of problems) io.out(`${file}: ${formatProblem(p)}`);
  if (hasErrors(problems) || !doc) return 'problems';
  io.out(`${file}: ok (${count(doc.nodes.length, 'node')}, ${count(doc.edges.length, 'edge')}, ${count(check?.totalParams ?? 0, 'trainable parameter')})`);
  return 'ok';
}

/** `latentflow validate FILE...` */
export async function validate(args: string[], io: CliIO): Promise<number> {
  const files: string[] = [];
  let optionsDone = false;
  for (const arg of args) {
    if (!optionsDone && arg === '--') optionsDone = true;
    else if (!optionsDone && (arg === '--help' || arg === '-h')) {
      printLines(io.out, validateUsage);
      return exitCodes.ok;
    } else if (!optionsDone && arg.startsWith('-') && arg !== '-') {
      io.err(`latentflow validate: unknown option "${arg}"`);
      printLines(io.err, validateUsage);
      return exitCodes.usage;
    } else files.push(arg);
  }
  if (files.length === 0) {
    io.err('latentflow validate: no files given');
    printLines(io.err, validateUsage);
    return exitCodes.usage;
  }
  const outcomes = new Set<Outcome>();
  for (const file of files) outcomes.add(await validateFile(file, io));
  return outcomes.has('unreadable') ? exitCodes.usage : outcomes.has('problems') ? exitCodes.problems : exitCodes.ok;
}
