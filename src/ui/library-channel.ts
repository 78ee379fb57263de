/**
 * Tells the other tabs and windows of this origin that a graph was saved (BroadcastChannel, one channel
 * per library database), so a tab that has the same graph open learns of it at once instead of at its
 * next save (where `saveGraphDocIfUnchanged` refuses to write over it anyway).
 */
export interface SavedMessage { graphId: string; text: string }

export interface LibraryChannel {
  announce(message: SavedMessage): void;
  close(): void;
}

/** A channel for `dbName`; `onSaved` hears the other tabs' saves (never this one's). No-op where BroadcastChannel is missing. */
export function libraryChannel(dbName: string, onSaved: (message: SavedMessage) => void): LibraryChannel {
  if (typeof BroadcastChannel === 'undefined') return { announce: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(`latentflow-library:${dbName}`);
  channel.onmessage = (e: MessageEvent<unknown>) => {
    const m = e.data as Partial<SavedMessage> | null;
    if (m && typeof m.graphId === 'string' && typeof m.text === 'string') onSaved({ graphId: m.graphId, text: m.text });
  };
  let open = true;
  return {
    // After close (a page going away) a late save has nobody left to tell from here: dropped, not thrown.
    announce: (message) => { if (open) channel.postMessage(message); },
    close: () => { open = false; channel.close(); },
  };
}
