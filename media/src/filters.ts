import type { Vendor } from '../../server/src/catalog/record';
import type { Domain, RuleFilter } from '../../server/src/catalog/stats/filters';
import type { PanelContext } from './context';
import { button, fmt, h, icon, plural } from './dom';
import { VENDOR_NAMES } from './rules';

type Group = 'vendors' | 'platforms' | 'domains';

const CHIP_LIMIT = 14;

const DOMAIN_NAMES: Record<Domain, string> = {
  endpoint: 'Endpoint', cloud: 'Cloud', identity: 'Identity', network: 'Network', saas: 'SaaS', other: 'Other',
};

function toggled(filter: RuleFilter, group: Group, value: string): RuleFilter {
  const current = (filter[group] ?? []) as string[];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { ...filter, [group]: next };
}

/** Left/Right/Home/End move between the chips of one group (one tab stop per chip stays too). */
function arrowKeys(row: HTMLElement): void {
  row.addEventListener('keydown', (event) => {
    const chips = [...row.querySelectorAll<HTMLButtonElement>('button.dl-chip')];
    const at = chips.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: chips.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    chips[(to + chips.length) % chips.length]?.focus();
  });
}

function chipGroup(ctx: PanelContext, group: Group, label: string, options: { value: string; rules: number }[], name: (v: string) => string): HTMLElement {
  const selected = (ctx.state.filter[group] ?? []) as string[];
  const row = h('div', { class: 'dl-chips', role: 'group', 'aria-label': label });
  // Long lists (platforms) show the most common values first; selected ones always stay visible.
  const limit = ctx.limits.get(`chips:${group}`) ?? CHIP_LIMIT;
  const visible = options.filter((o, i) => i < limit || selected.includes(o.value));
  for (const option of visible) {
    const pressed = selected.includes(option.value);
    row.appendChild(button(
      [pressed ? icon('check') : undefined, name(option.value), h('span', { class: 'dl-chip-count' }, fmt(option.rules))],
      { class: 'dl-chip', 'aria-pressed': pressed ? 'true' : 'false', 'data-filter': `${group}:${option.value}`, 'data-focus': `chip:${group}:${option.value}`, title: `${name(option.value)}: ${plural(option.rules, 'rule')} under ${ctx.model.technique.id}` },
      () => ctx.setFilter(toggled(ctx.state.filter, group, option.value))));
  }
  if (visible.length < options.length) {
    row.appendChild(button([`+${fmt(options.length - visible.length)} more`], { class: 'dl-chip dl-chip-more', 'data-focus': `chips-more:${group}` }, () => {
      ctx.limits.set(`chips:${group}`, options.length);
      ctx.rerender();
    }));
  }
  arrowKeys(row);
  return h('div', { class: 'dl-filter-group' }, h('span', { class: 'dl-filter-label' }, label), row);
}

function active(filter: RuleFilter): boolean {
  return !!(filter.vendors?.length || filter.platforms?.length || filter.domains?.length);
}

export function filterBar(ctx: PanelContext): HTMLElement {
  const o = ctx.model.options;
  return h('section', { class: 'dl-filters', 'aria-label': 'Filters (applied to every section)' },
    chipGroup(ctx, 'vendors', 'Vendor', o.vendors, (v) => VENDOR_NAMES[v as Vendor] ?? v),
    chipGroup(ctx, 'domains', 'Domain', o.domains, (v) => DOMAIN_NAMES[v as Domain] ?? v),
    chipGroup(ctx, 'platforms', 'Platform', o.platforms, (v) => v));
}

/** What the filters leave, beside the section links: the one strip that stays on screen. */
export function filterSummary(ctx: PanelContext): HTMLElement {
  const total = ctx.model.rules.length;
  return h('div', { class: 'dl-filter-summary', role: 'status', 'aria-live': 'polite' },
      icon('filter'),
      h('span', { 'data-filter-summary': '' }, active(ctx.state.filter) ? `Showing ${fmt(ctx.view.ruleCount)} of ${plural(total, 'rule')}` : `All ${plural(total, 'rule')}`),
      active(ctx.state.filter)
        ? button([icon('clear-all'), 'Clear filters'], { class: 'dl-button-secondary', 'data-focus': 'clear-filters', 'data-clear-filters': '' }, () => ctx.setFilter({}))
        : undefined);
}
