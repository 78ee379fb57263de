import type { BaseSchemes } from 'rete';
import { MinimapPlugin } from 'rete-minimap-plugin';

type Sized = BaseSchemes & { Node: BaseSchemes['Node'] & { width: number; height: number } };

/**
 * The minimap plugin redraws every node's rectangle on every node event, so adding N nodes cost
 * N full redraws: about 40 % of opening a 200-node graph. `hold` lets a bulk change (loading a
 * document) skip those redraws and draw the minimap once at the end; later edits redraw as usual.
 * It can be hidden (`visible`): then it draws nothing, which also spares the frames it would cost.
 */
export class DeferredMinimap<S extends Sized> extends MinimapPlugin<S> {
  private holds = 0;
  private missed = false;
  private shown = true;
  private readonly draw: () => void;

  constructor(props?: ConstructorParameters<typeof MinimapPlugin>[0]) {
    super(props);
    // `render` is private in the plugin's types, but it is the method its own pipe calls on every
    // event; shadowing it on the instance is the one place a redraw can be deferred.
    const self = this as unknown as { render(): void };
    const draw = self.render.bind(this);
    this.draw = draw;
    self.render = () => {
      if (!this.shown) return;
      if (this.holds > 0) this.missed = true;
      else this.drawIfAny();
    };
  }

  /** The plugin's box (created when the plugin is used). */
  private get box(): HTMLElement | undefined {
    return (this as unknown as { element?: HTMLElement }).element;
  }

  /** Draws the map, or hides its box while there are no nodes: never an empty grey box. */
  private drawIfAny(): void {
    const empty = this.area.nodeViews.size === 0;
    if (this.box) this.box.style.display = empty || !this.shown ? 'none' : '';
    if (!empty) this.draw();
  }

  /** Whether the map is shown; a hidden map does no drawing at all. */
  get visible(): boolean {
    return this.shown;
  }

  set visible(on: boolean) {
    this.shown = on;
    if (this.box) this.box.style.display = on ? '' : 'none';
    if (on) this.drawIfAny();
  }

  /** Runs `work` without redrawing the minimap, then draws it once if anything changed meanwhile. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      if (this.holds === 0 && this.missed) {
        this.missed = false;
        this.drawIfAny();
      }
    }
  }
}
