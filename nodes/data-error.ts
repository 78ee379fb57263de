/**
 * A data file that cannot be used: it names the file and what is wrong with it, so the runtime can
 * show the user one clear line (and a test can check both parts) instead of a stack trace.
 */
export class DataFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`${shortFileName(file)}: ${reason}`);
    this.name = 'DataFileError';
  }
}

/** Longest file name a message shows whole (an upload's stored name may be 64 KB). */
const maxShownName = 80;
/** Most bad files one message lists (an upload may hold thousands). */
export const maxListedFiles = 10;

/** A file name shortened in the middle (its folder's start and its extension stay). */
function shortFileName(name: string): string {
  const chars = [...name];
  return chars.length <= maxShownName ? name : `${chars.slice(0, 50).join('')}…${chars.slice(-(maxShownName - 51)).join('')}`;
}

/**
 * Several bad files at once (an upload): every one is kept in `problems`, so one fix round is enough;
 * the message lists the first `maxListedFiles` and counts the rest, so its size is bounded (issue 13).
 */
export class DataFilesError extends Error {
  constructor(readonly problems: DataFileError[]) {
    const rest = problems.length - maxListedFiles;
    super([...problems.slice(0, maxListedFiles).map((p) => p.message), ...(rest > 0 ? [`and ${rest.toLocaleString('en-US')} more file${rest === 1 ? '' : 's'} with problems`] : [])].join('\n'));
    this.name = 'DataFilesError';
  }
}
