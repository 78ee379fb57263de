/** Graph links: the graph file (no weights) deflated into the URL fragment `#g=...`. */
import { deflateSync, strFromU8, strToU8 } from 'fflate';
import { loadGraph, saveGraph, type Catalog, type GraphDoc, type LoadResult } from '../graph';
import { refuse, type Outcome } from './errors';
import { inflateBounded } from '../lib/inflate';

/** Past this many characters of fragment, links break in chats and some browsers: refuse, suggest a file. */
export const maxLinkFragment = 8 * 1024;
/** A link never inflates to more than this (a graph file is far smaller). */
const maxLinkText = 1024 * 1024;

const linkKey = 'g';

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The fragment (`#g=...`) that carries this graph, or a Problem when it is too big for a link. */
export function graphLink(doc: GraphDoc, limit = maxLinkFragment): Outcome<string> {
  const fragment = `#${linkKey}=${toBase64Url(deflateSync(strToU8(saveGraph(doc)), { level: 9 }))}`;
  if (fragment.length > limit) {
    return refuse(`this graph is too big for a link (${Math.ceil(fragment.length / 1024)} KB; links hold up to ${Math.floor(limit / 1024)} KB). Share it as a .graph.json file instead.`);
  }
  return { ok: true, value: fragment };
}

/** True when a location hash carries a graph. */
export function hasGraphLink(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).has(linkKey);
}

/** Reads the graph from a location hash (`#g=...`): the document and its problems, as `loadGraph` gives them. */
export function readGraphLink(hash: string, catalog: Catalog): LoadResult & { text?: string } {
  const bad = (message: string): LoadResult => ({ doc: null, problems: [{ severity: 'error', path: '', message }] });
  if (hash.length > maxLinkFragment * 4) return bad('this link is too long to hold a latentflow graph');
  const payload = new URLSearchParams(hash.replace(/^#/, '')).get(linkKey);
  if (payload === null) return bad('this link holds no latentflow graph (nothing after #g=)');
  const bytes = fromBase64Url(payload);
  const inflated = bytes && inflateBounded(bytes, maxLinkText);
  if (!inflated) return bad('this link is damaged (it may have been cut short when copied); ask for the link again or for the .graph.json file');
  const text = strFromU8(inflated);
  return { ...loadGraph(text, catalog), text };
}
