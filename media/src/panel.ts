/**
 * The overview page's script (bundled to media/build/panel.js): reads the model from the inert JSON
 * element, computes the sections for the current filters in the browser, and draws them with DOM calls
 * that treat every rule string as text. In the webview it also talks to the extension.
 */
import type { RuleFilter } from '../../server/src/catalog/stats/filters';
import { aggregate } from '../../server/src/panel/aggregate';
import { parseFilter, parseHostMessage, parsePanelState, type PanelState } from '../../server/src/panel/messages';
import type { PanelModel } from '../../server/src/panel/model';
import type { HostApi, PanelContext } from './context';
import { button, h, icon } from './dom';
import { filterBar, filterSummary } from './filters';
import { header } from './header';
import { rulesSection } from './rules';
import { eventsSection, exclusionsSection, fieldsSection, indicatorsSection } from './sections';

declare function acquireVsCodeApi(): HostApi;

function readJson(id: string): unknown {
  const text = document.getElementById(id)?.textContent;
  return text ? JSON.parse(text) : undefined;
}

const SECTIONS: [string, string, string][] = [
  ['events', 'Events', 'pulse'], ['fields', 'Fields', 'symbol-field'], ['indicators', 'Indicators', 'symbol-constant'],
  ['exclusions', 'Exclusions', 'filter'], ['rules', 'Rules', 'list-tree'],
];

function toolbar(ctx: PanelContext): HTMLElement {
  return h('div', { class: 'dl-toolbar' }, nav(), filterSummary(ctx));
}

function nav(): HTMLElement {
  return h('nav', { class: 'dl-nav', 'aria-label': 'Sections' }, ...SECTIONS.map(([id, label, codicon]) =>
    button([icon(codicon), label], { class: 'dl-nav-item', 'data-focus': `nav:${id}` }, () => {
      const target = document.getElementById(`${id}-h`);
      target?.scrollIntoView({ block: 'start' });
      target?.focus({ preventScroll: true });
    })));
}

class Panel {
  private readonly ctx: PanelContext;
  private readonly status = h('div', { class: 'dl-status', role: 'status', 'aria-live': 'polite' });

  constructor(private readonly app: HTMLElement, model: PanelModel, state: PanelState, host: HostApi | undefined) {
    this.ctx = {
      model, state, host, view: aggregate(model, state.filter), limits: new Map(), expanded: new Set(),
      setFilter: (filter) => this.setFilter(filter), rerender: () => this.render(),
    };
  }

  setFilter(filter: RuleFilter): void {
    this.ctx.state = { ...this.ctx.state, filter };
    this.ctx.view = aggregate(this.ctx.model, filter);
    this.ctx.limits.clear();
    this.ctx.expanded.clear();
    this.ctx.host?.setState(this.ctx.state);
    this.ctx.host?.postMessage({ type: 'filterChanged', filter });
    this.render();
  }

  setModel(model: PanelModel): void {
    const sameTechnique = model.technique.id === this.ctx.model.technique.id;
    this.ctx.model = model;
    if (!sameTechnique) this.ctx.state = { technique: model.technique.id, filter: {} };
    this.ctx.view = aggregate(model, this.ctx.state.filter);
    this.ctx.host?.setState(this.ctx.state);
    this.render();
  }

  showStatus(text: string, level: 'info' | 'error'): void {
    this.status.replaceChildren(icon(level === 'error' ? 'error' : 'info'), text);
    this.status.className = `dl-status dl-status-${level}`;
  }

  /** Redraws everything; keyboard focus returns to the control with the same data-focus key. */
  render(): void {
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focus;
    const ctx = this.ctx;
    this.app.replaceChildren(header(ctx), filterBar(ctx), toolbar(ctx), this.status,
      eventsSection(ctx), fieldsSection(ctx), indicatorsSection(ctx), exclusionsSection(ctx), rulesSection(ctx),
      h('footer', { class: 'dl-footer' }, 'ATT&CK® technique data © The MITRE Corporation. Counts from the rules in this catalog.'));
    this.app.setAttribute('aria-busy', 'false');
    if (focusKey) {
      const target = [...this.app.querySelectorAll<HTMLElement>('[data-focus]')].find((el) => el.dataset.focus === focusKey);
      target?.focus({ preventScroll: true });
    }
  }
}

function start(): void {
  const app = document.getElementById('app');
  const model = readJson('dl-model') as PanelModel | undefined;
  if (!app || !model || model.schema !== 1) return;
  const host = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  const saved = parsePanelState(host?.getState());
  const embedded = parsePanelState(readJson('dl-state'));
  const state: PanelState = saved && saved.technique === model.technique.id ? saved : embedded ?? { technique: model.technique.id, filter: parseFilter({}) ?? {} };
  const panel = new Panel(app, model, state, host);
  panel.render();
  host?.setState(state);
  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (message?.type === 'model') panel.setModel(message.model);
    else if (message?.type === 'status') panel.showStatus(message.text, message.level);
  });
  host?.postMessage({ type: 'ready' });
}

start();
