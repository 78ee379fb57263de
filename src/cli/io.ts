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
