/**
 * Resolves once `Date.now()` has moved on: the library stamps records with millisecond times, so two
 * saves in one millisecond would tie. Waits for exactly that, not for a guessed number of milliseconds.
 */
export async function nextMillisecond(): Promise<void> {
  const start = Date.now();
  while (Date.now() === start) await Promise.resolve();
}
