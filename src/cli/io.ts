import { printable } from '../graph/problems';

/** Where the command line writes, and what its exit statuses mean. */
export interface CliIO {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line about the command itself going wrong (stderr). */
  err(line: string): void;
}

export const exitCodes = {
  /** Everything checked out. */
  ok: 0,
  /** A graph has error-severity problems. */
  problems: 1,
  /** Bad arguments, or a file that cannot be read at all. */
  usage: 2,
  /** A bug in latentflow itself. */
  internal: 70,
} as const;

/**
 * The IO every command gets (main() wraps the one it is given): each call prints exactly one line,
 * with every control character of what it is given escaped (`printable`), so a file name, kind,
 * param key or JSON excerpt can neither drive the terminal nor forge a line. `--json` output is
 * JSON text, whose strings this keeps valid. Several lines: `printLines`.
 */
export function printableIO(io: CliIO): CliIO {
  return { out: (line) => io.out(printable(line)), err: (line) => io.err(printable(line)) };
}

/** A text of several lines (a usage), one call each. */
export function printLines(write: (line: string) => void, text: string): void {
  for (const line of text.split('\n')) write(line);
}

/** Writes to the process streams; a closed pipe (`| head`) ends output quietly. */
export function processIO(): CliIO {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
  };
}
