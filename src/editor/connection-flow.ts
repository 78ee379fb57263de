import { ClassicFlow, getSourceTarget, type ConnectionPlugin } from 'rete-connection-plugin';
import type { GraphSync } from './graph-sync';
import type { Schemes } from './schemes';

/**
 * Rete's classic connection flow, asking the graph before a drop: the plugin takes the old edge off
 * a single input *before* it adds the new one, so a drop refused only when the new edge arrives
 * would delete the old edge. Refused here, the drop changes nothing (and leaves no undo step); the
 * hint says why, and the loose end is let go (not left following the pointer).
 */
export function checkedConnectionFlow(sync: GraphSync, plugin: ConnectionPlugin<Schemes, any>) {
  return () => new ClassicFlow<Schemes, any[]>({
    canMakeConnection(from, to) {
      const ends = getSourceTarget(from, to);
      if (!ends) return false;
      const [source, target] = ends;
      const refused = sync.refusal({ source: source.nodeId, sourceOutput: source.key, target: target.nodeId, targetInput: target.key });
      if (refused !== null) {
        if (refused) sync.hints$.next(refused);
        queueMicrotask(() => plugin.drop());
      }
      return refused === null;
    },
  });
}
