/** The `latentflow` command line: reads the command name and hands the rest to that command. */
import { readFile } from 'node:fs/promises';
import { exitCodes, printableIO, printLines, processIO, type CliIO } from './io';
import { errorMessage } from '../lib/error-message';

interface Command {
  /** One line for the command list. */
  summary: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/**
 * Every command, listed once; `latentflow CMD --help` prints a command's own usage. Each is
 * imported only when run, so `--help` and a quick `validate` never load what `train` needs.
 */
export const commands: Record<string, Command> = {
  validate: { summary: 'check graph files and print their problems', run: async (args, io) => (await import('./validate')).validate(args, io) },
  train: { summary: 'train a graph file in Node and print its losses and metrics', run: async (args, io) => (await import('./train')).train(args, io) },
  export: { summary: 'write a graph as a runnable PyTorch project (--to pytorch DIR)', run: async (args, io) => (await import('./export')).exportCommand(args, io) },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const list = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: latentflow COMMAND [ARGS...]

Commands:
${list}

Options:
  -h, --help     show this help (or a command's, after its name)
  -v, --version  print the version

Run \`latentflow COMMAND --help\` for a command's arguments.`;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** A bug of ours, in one line for the user; the stack only when asked for. */
function internalError(io: CliIO, e: unknown): void {
  io.err(`latentflow: internal error: ${errorMessage(e)}`);
  if (process.env.LATENTFLOW_DEBUG && e instanceof Error && e.stack) printLines(io.err, e.stack);
}

/** For the process (bin/latentflow.js): a promise rejected with nobody to hear it is a bug of ours: one line, exit 70. */
export function exitOnUnhandledRejection(io: CliIO = processIO()): void {
  process.on('unhandledRejection', (e) => {
    internalError(printableIO(io), e);
    process.exit(exitCodes.internal);
  });
}

/** Runs one command line; resolves with the exit status. Never throws. */
export async function main(argv: string[], rawIO: CliIO = processIO()): Promise<number> {
  const io = printableIO(rawIO);
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      printLines(io.err, usage());
      return exitCodes.usage;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      printLines(io.out, usage());
      return exitCodes.ok;
    }
    if (name === '--version' || name === '-v') {
      io.out(await version());
      return exitCodes.ok;
    }
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command) {
      io.err(`latentflow: unknown command ${JSON.stringify(name)}`);
      printLines(io.err, usage());
      return exitCodes.usage;
    }
    return await command.run(rest, io);
  } catch (e) {
    internalError(io, e);
    return exitCodes.internal;
  }
}
