/** Small named settings (theme, last open graph...), kept with the library. */
import type { Library } from './db';
import { attempt, type Outcome } from './errors';

/** A setting's value, or `fallback` when it was never set. */
export async function getSetting<T>(lib: Library, key: string, fallback: T): Promise<T> {
  const value = await lib.read(['settings'], (tx) => tx.get<T>('settings', key));
  return value === undefined ? fallback : value;
}

export function setSetting(lib: Library, key: string, value: unknown): Promise<Outcome<void>> {
  return attempt(() => lib.write(['settings'], (tx) => tx.put('settings', value, key)));
}

/** The setting that remembers which graph was open, so reopening the app restores it. */
export const lastGraphSetting = 'lastGraphId';
