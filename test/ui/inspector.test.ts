// The inspector shows only the params that apply, under human labels, and a log slider for `log: true`; ArrowUp and
// ArrowDown step a number field, through the same strict check as typing.
import { expect } from '@esm-bundle/chai';
import { defaultParams, type GraphNode } from '../../src/graph';
import { registry } from '../../nodes';
import type { LfInspector, ParamChange } from '../../src/ui';
import '../../src/ui';
import { sendKeys } from '@web/test-runner-commands';

function nodeOf(kind: string, params: Record<string, unknown> = {}): GraphNode {
  const spec = registry.get(kind)!;
  return { id: 'n1', kind, kindVersion: spec.version, params: { ...defaultParams(spec.params), ...params } } as GraphNode;
}

describe('lf-inspector', () => {
  let el: LfInspector;
  beforeEach(() => {
    el = document.createElement('lf-inspector');
    el.style.width = '310px';
    document.body.append(el);
  });
  afterEach(() => el.remove());

  const shown = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[data-param]')].map((r) => r.dataset.param);

  it('shows momentum only for the momentum optimizer, and the noise range only for random noise', async () => {
    el.spec = registry.get('train.optimizer')!;
    el.node = nodeOf('train.optimizer');
    await el.updateComplete;
    expect(shown()).to.include('beta1').and.not.include('momentum').and.not.include('testEvery');
    el.node = nodeOf('train.optimizer', { optimizer: 'momentum', testSplit: 0.25 });
    await el.updateComplete;
    expect(shown()).to.include('momentum').and.include('testEvery').and.not.include('beta1');

    el.spec = registry.get('noise.salt-pepper')!;
    el.node = nodeOf('noise.salt-pepper');
    await el.updateComplete;
    expect(shown()).to.include('p').and.not.include('pMin').and.not.include('pMax');
    el.node = nodeOf('noise.salt-pepper', { mode: 'random-per-epoch' });
    await el.updateComplete;
    expect(shown()).to.include('pMin').and.include('pMax').and.not.include('p');
  });

  it('labels are human and never cut: each label shows its whole text', async () => {
    el.spec = registry.get('train.optimizer')!;
    el.node = nodeOf('train.optimizer', { schedule: 'adaptive', patience: 5 });
    await el.updateComplete;
    const labels = [...el.shadowRoot!.querySelectorAll<HTMLLabelElement>('[data-param] > label')];
    expect(labels.map((l) => l.querySelector('.text')!.textContent)).to.include('learning rate').and.include('grow after (epochs)').and.include('batch size');
    for (const l of labels) expect(l.scrollWidth, l.textContent!).to.be.at.most(l.clientWidth + 1);
  });

  it('the learning-rate slider is logarithmic: its middle is the geometric middle of its range', async () => {
    el.spec = registry.get('train.optimizer')!;
    el.node = nodeOf('train.optimizer', { lr: 0.001 });
    await el.updateComplete;
    const slider = el.shadowRoot!.querySelector<HTMLInputElement>('[data-param=lr] input[type=range]')!;
    const max = Number(slider.max);
    // 0.001 is one decade above 0.0001 of five (0.0001 … 10): a fifth of the way, not 0.01 % of it.
    expect(Number(slider.value) / max).to.be.closeTo(0.2, 0.01);
    const changes: ParamChange[] = [];
    el.addEventListener('lf-param', (e) => changes.push((e as CustomEvent<ParamChange>).detail));
    slider.value = String(max / 2);
    slider.dispatchEvent(new Event('input'));
    expect(changes.at(-1)!.name).to.equal('lr');
    expect(changes.at(-1)!.value as number).to.be.closeTo(Math.sqrt(0.0001 * 10), 0.0005);
    slider.value = String(max);
    slider.dispatchEvent(new Event('input'));
    expect(changes.at(-1)!.value).to.equal(10);
  });

  it('a number typed out of range or unreadable shows an error and is not applied; the field shows a small rate whole', async () => {
    el.spec = registry.get('train.optimizer')!;
    el.node = nodeOf('train.optimizer', { lr: 0.00005 });
    await el.updateComplete;
    const lr = el.shadowRoot!.querySelector<HTMLInputElement>('[data-param=lr] input:not([type=range])')!;
    expect(lr.value).to.equal('0.00005');
    expect(lr.scrollWidth, 'the whole value fits').to.be.at.most(lr.clientWidth);
    const changes: ParamChange[] = [];
    el.addEventListener('lf-param', (e) => changes.push((e as CustomEvent<ParamChange>).detail));
    const error = (name: string) => el.shadowRoot!.querySelector(`[data-param=${name}] [role=alert]`)?.textContent ?? '';
    // Typed with the keyboard: "-" then "1" (a number field reported "-" as empty, redrew it empty, and "1" became lr = 1).
    lr.focus();
    lr.select();
    await sendKeys({ type: '-1' });
    await el.updateComplete;
    expect(lr.value).to.equal('-1');
    expect(error('lr')).to.equal('must be a number from 0 to 10, got -1');
    expect(changes, 'nothing applied').to.deep.equal([]);
    for (const [name, text, message] of [
      ['lr', 'abc', 'must be a number from 0 to 10, got "abc"'],
      ['lr', '0x10', 'must be a number from 0 to 10, got "0x10"'],
      ['lr', '', 'must be a number from 0 to 10, got ""'],
      ['epochs', '2.5', 'must be an integer'],
      ['batchSize', '-3', 'must be an integer'],
    ] as const) {
      const input = el.shadowRoot!.querySelector<HTMLInputElement>(`[data-param=${name}] input:not([type=range])`)!;
      input.value = text;
      input.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(error(name), `${name} = ${JSON.stringify(text)}`).to.contain(message);
      expect(input.classList.contains('invalid')).to.equal(true);
    }
    expect(changes, 'nothing applied').to.deep.equal([]);
    lr.value = '0.02';
    lr.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(changes.map((c) => [c.name, c.value])).to.deep.equal([['lr', 0.02]]);
    expect(error('lr')).to.equal('');
  });

  it('ArrowUp/ArrowDown step a number field (an int by 1, Shift by 10; a rate along 1-2-5; a declared step), within its range, each step applied', async () => {
    el.spec = registry.get('train.optimizer')!;
    el.node = nodeOf('train.optimizer', { lr: 0.005, epochs: 30, testSplit: 0, patience: 0 });
    await el.updateComplete;
    const changes: [string, unknown][] = [];
    el.addEventListener('lf-param', (e) => { const d = (e as CustomEvent<ParamChange>).detail; changes.push([d.name, d.value]); });
    const field = (name: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`[data-param=${name}] input:not([type=range])`)!;
    const press = async (name: string, ...keys: string[]) => {
      field(name).focus();
      for (const key of keys) {
        const [held, main] = key.includes('+') ? key.split('+') : [null, key];
        if (held) await sendKeys({ down: held });
        await sendKeys({ press: main! });
        if (held) await sendKeys({ up: held });
      }
      await el.updateComplete;
      return field(name).value;
    };
    expect(await press('epochs', 'ArrowUp', 'ArrowUp'), 'epochs up twice').to.equal('32');
    expect(await press('epochs', 'Shift+ArrowDown'), 'Shift: ten').to.equal('22');
    expect(await press('lr', 'ArrowUp'), 'a rate up').to.equal('0.01');
    expect(await press('lr', 'ArrowDown', 'ArrowDown'), 'a rate down').to.equal('0.002');
    expect(await press('testSplit', 'ArrowUp', 'ArrowUp'), 'by its step').to.equal('0.1');
    expect(await press('patience', 'ArrowDown'), 'not below its minimum').to.equal('0');
    expect(changes).to.deep.equal([['epochs', 31], ['epochs', 32], ['epochs', 22], ['lr', 0.01], ['lr', 0.005], ['lr', 0.002], ['testSplit', 0.05], ['testSplit', 0.1], ['patience', 0]]);
    // Text that does not read as a number: the arrow steps from the value in the graph, and the error goes.
    const lr = field('lr');
    lr.value = '0.0x';
    lr.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[data-param=lr] [role=alert]'), 'the typo is an error').to.not.equal(null);
    expect(await press('lr', 'ArrowUp'), 'from the graph\'s 0.005').to.equal('0.01');
    expect(el.shadowRoot!.querySelector('[data-param=lr] [role=alert]'), 'no error after the step').to.equal(null);
  });
});
