/**
 * A data file that cannot be used: it names the file and what is wrong with it, so the runtime can
 * show the user one clear line (and a test can check both parts) instead of a stack trace.
 */
export class DataFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'DataFileError';
  }
}

/** Several bad files at once (an upload): every one is named, so one fix round is enough. */
export class DataFilesError extends Error {
  constructor(readonly problems: DataFileError[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'DataFilesError';
  }
}
