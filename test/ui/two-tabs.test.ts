// Two tabs on one graph (issue 13, family 12): two apps on the same library database, as two tabs
// of one origin are. Tab B's autosave never writes over what tab A saved after B opened the graph:
// B holds its edits and offers to load A's version or to save its own as a copy.
import { expect } from '@esm-bundle/chai';
import { deleteLibrary, getGraphRecord, listGraphs } from '../../src/store';
import type { LfApp } from '../../src/ui';
import { mountApp, until } from '../helpers/app';

const units = (text: string | undefined) => (JSON.parse(text ?? '{}') as { nodes?: { id: string; params: { units?: number[] } }[] }).nodes?.find((n) => n.id === 'enc')?.params.units;

describe('two tabs on one graph', () => {
  const apps: LfApp[] = [];
  let db: string;
  beforeEach(() => { db = `lf-tabs-${Math.random().toString(36).slice(2)}`; });
  afterEach(async () => {
    for (const app of apps.splice(0)) { app.remove(); app.library?.close(); }
    await deleteLibrary(db);
  });

  /** A opens the font AE and saves an edit; B opens the same graph; A saves another edit. */
  async function setUp(): Promise<{ a: LfApp; b: LfApp; id: string }> {
    const a = await mountApp({ dbName: db, initial: 'font-ae', autosaveDelay: 30 });
    apps.push(a);
    a.editor!.setParam('enc', 'units', [40, 20]);
    await until(() => a.graphId !== null, 5000, "A's first save");
    const id = a.graphId!;
    const b = await mountApp({ dbName: db, autosaveDelay: 30 });
    apps.push(b);
    expect(b.graphId, 'B opens the graph A saved').to.equal(id);
    a.editor!.setParam('enc', 'units', [30, 10]);
    await until(async () => units((await getGraphRecord(a.library!, id))?.text)?.[0] === 30, 5000, "A's second save");
    return { a, b, id };
  }

  it("B hears of A's save at once, before any edit of its own (BroadcastChannel), and loses nothing", async function () {
    this.timeout(60_000);
    const { b, id } = await setUp();
    await until(() => b.conflict !== null, 5000, "the news of A's save in B");
    await b.updateComplete;
    const banner = b.shadowRoot!.querySelector<HTMLElement>('.banner.conflict')!;
    expect(banner.textContent).to.match(/changed in another tab or window\./);
    expect(units((await getGraphRecord(b.library!, id))!.text)).to.deep.equal([30, 10]);
  });

  it("B's edit is not written over A's; B loads A's version when asked", async function () {
    this.timeout(60_000);
    const { b, id } = await setUp();
    b.editor!.setParam('enc', 'units', [50, 5]);
    await until(() => b.conflict !== null, 5000, 'the conflict');
    expect(units((await getGraphRecord(b.library!, id))!.text)).to.deep.equal([30, 10]);
    await b.updateComplete;
    const banner = b.shadowRoot!.querySelector<HTMLElement>('.banner.conflict')!;
    expect(banner.textContent).to.match(/changed in another tab or window/);
    // Further edits are held too, and so is an explicit Save.
    b.editor!.setParam('enc', 'units', [60, 6]);
    await b.saveNow();
    expect(units((await getGraphRecord(b.library!, id))!.text)).to.deep.equal([30, 10]);
    banner.querySelector<HTMLButtonElement>('.load-theirs')!.click();
    await until(() => b.conflict === null && b.editor!.getDoc().nodes.find((n) => n.id === 'enc')!.params.units?.toString() === '30,10', 5000, "A's version in B");
  });

  it("B saves its edit as a copy: both versions are kept", async function () {
    this.timeout(60_000);
    const { b, id } = await setUp();
    b.editor!.setParam('enc', 'units', [50, 5]);
    await until(() => b.conflict !== null, 5000, 'the conflict');
    await b.updateComplete;
    b.shadowRoot!.querySelector<HTMLButtonElement>('.banner.conflict .fork-mine')!.click();
    await until(() => b.conflict === null && b.graphId !== id, 5000, 'the copy');
    expect(units((await getGraphRecord(b.library!, b.graphId!))!.text)).to.deep.equal([50, 5]);
    expect(units((await getGraphRecord(b.library!, id))!.text)).to.deep.equal([30, 10]);
    expect((await listGraphs(b.library!)).map((g) => g.title)).to.have.length(2);
  });
});
