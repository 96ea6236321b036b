import { VENDORS } from '../../server/src/catalog/record';
import type { PanelContext } from './context';
import { button, fmt, h, icon } from './dom';
import { VENDOR_NAMES } from './rules';

function kpi(key: string, label: string, value: number, detail?: string): HTMLElement {
  return h('div', { class: 'dl-kpi', 'data-kpi': key },
    h('span', { class: 'dl-kpi-value' }, fmt(value)),
    h('span', { class: 'dl-kpi-label' }, label),
    detail ? h('span', { class: 'dl-kpi-detail' }, detail) : undefined);
}

function equivalents(ctx: PanelContext): HTMLElement | undefined {
  const list = ctx.model.technique.equivalents;
  if (list.length === 0) return undefined;
  const items = list.map((e) => {
    const label = [h('span', { class: 'dl-tid' }, e.id), e.name ? ` ${e.name}` : ''];
    const host = ctx.host;
    return host
      ? button(label, { class: 'dl-link', title: `Open the ${e.id} overview`, 'data-focus': `eq:${e.id}` }, () => host.postMessage({ type: 'openTechnique', technique: e.id }))
      : h('span', {}, ...label);
  });
  return h('div', { class: 'dl-equivalents' }, h('span', { class: 'dl-muted' }, 'Same behaviour in the other ATT&CK version: '),
    ...items.flatMap((el, i) => (i === 0 ? [el] : [', ', el])));
}

/** Rules per vendor as one stacked bar with a legend that carries the numbers. */
function vendorBar(ctx: PanelContext): HTMLElement {
  const total = Math.max(1, ctx.view.ruleCount);
  const present = VENDORS.filter((v) => ctx.view.byVendor[v] > 0);
  const bar = h('div', { class: 'dl-stack', role: 'img', 'aria-label': present.map((v) => `${VENDOR_NAMES[v]} ${ctx.view.byVendor[v]}`).join(', ') || 'no rules' });
  for (const v of present) {
    const seg = h('span', { class: `dl-stack-seg dl-v-${v}`, title: `${VENDOR_NAMES[v]}: ${ctx.view.byVendor[v]} rules` });
    seg.style.width = `${(ctx.view.byVendor[v] / total) * 100}%`;
    bar.appendChild(seg);
  }
  const legend = h('ul', { class: 'dl-legend' }, ...VENDORS.map((v) => h('li', { class: ctx.view.byVendor[v] ? '' : 'dl-dim' },
    h('span', { class: `dl-swatch dl-v-${v}`, 'aria-hidden': 'true' }), VENDOR_NAMES[v], ' ',
    h('strong', { 'data-vendor-count': v }, fmt(ctx.view.byVendor[v])))));
  return h('div', { class: 'dl-vendors' }, bar, legend);
}

export function header(ctx: PanelContext): HTMLElement {
  const t = ctx.model.technique;
  const v = ctx.view;
  return h('header', { class: 'dl-header' },
    h('div', { class: 'dl-eyebrow' }, icon('shield'), 'ATT&CK technique overview'),
    h('h1', { id: 'dl-title' }, h('span', { class: 'dl-tid', 'data-technique': t.id }, t.id), ' ', t.name),
    h('div', { class: 'dl-tactics' }, ...t.tactics.map((name) => h('span', { class: 'dl-pill' }, icon('target'), name))),
    equivalents(ctx),
    h('div', { class: 'dl-kpis' },
      kpi('rules', 'rules here', v.ruleCount, `of ${fmt(ctx.model.catalogRules)} in the catalog`),
      kpi('events', 'events covered', v.events.length),
      kpi('fields', 'fields filtered', v.fields.length),
      kpi('indicators', 'indicator values', v.indicators.length),
      kpi('exclusions', 'exclusions', v.exclusions.length)),
    vendorBar(ctx));
}
