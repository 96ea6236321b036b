import type { Vendor } from '../../server/src/catalog/record';
import type { PanelRule } from '../../server/src/panel/model';
import type { PanelContext } from './context';
import { button, fmt, h, icon, plural } from './dom';

export const VENDOR_NAMES: Record<Vendor, string> = {
  sigma: 'Sigma', elastic: 'Elastic', splunk: 'Splunk', sentinel: 'Sentinel', chronicle: 'Chronicle', panther: 'Panther',
};

function fileUrl(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  return `file://${slashed.startsWith('/') ? '' : '/'}${slashed.split('/').map(encodeURIComponent).join('/')}`;
}

/** A rule's title that opens the rule: a message to the extension, or a file link on a saved page. */
export function ruleLink(ctx: PanelContext, index: number, focusKey: string): HTMLElement {
  const rule = ctx.model.rules[index] as PanelRule;
  const label = [icon('go-to-file'), h('span', { class: 'dl-rule-title' }, rule.title || rule.id)];
  const tip = `${rule.path}${rule.line && rule.line > 1 ? `:${rule.line}` : ''}`;
  const file = rule.file;
  if (ctx.host && file) {
    const host = ctx.host;
    return button(label, { class: 'dl-link', title: `Open ${tip}`, 'data-focus': focusKey, 'data-rule': index },
      () => host.postMessage({ type: 'openRule', file, line: rule.line ?? 1 }));
  }
  if (file) return h('a', { class: 'dl-link', href: fileUrl(file), title: tip, 'data-focus': focusKey, 'data-rule': index }, ...label);
  return h('span', { class: 'dl-link', title: tip, 'data-rule': index }, ...label);
}

function ruleRow(ctx: PanelContext, index: number): HTMLElement {
  const rule = ctx.model.rules[index] as PanelRule;
  return h('li', { class: 'dl-rule' },
    ruleLink(ctx, index, `rule:${index}`),
    h('span', { class: 'dl-rule-path' }, rule.path),
    ...rule.platforms.map((p) => h('span', { class: 'dl-tag' }, p)));
}

/** The rule list under an indicator or exclusion row, on demand. */
export function ruleList(ctx: PanelContext, ids: readonly number[]): HTMLElement {
  const sorted = [...ids].sort((a, b) => (ctx.model.rules[a]?.order ?? 0) - (ctx.model.rules[b]?.order ?? 0));
  return h('ul', { class: 'dl-rule-list' }, ...sorted.map((i) => ruleRow(ctx, i)));
}

function vendorGroup(ctx: PanelContext, vendor: Vendor, ids: number[]): HTMLElement {
  const key = `rules:${vendor}`;
  const limit = ctx.limits.get(key) ?? 50;
  const details = h('details', { class: 'dl-group', open: true, 'data-vendor-group': vendor },
    h('summary', { 'data-focus': `summary:${vendor}` },
      h('span', { class: `dl-swatch dl-v-${vendor}`, 'aria-hidden': 'true' }), VENDOR_NAMES[vendor],
      h('span', { class: 'dl-badge', 'data-count': vendor }, fmt(ids.length))),
    h('ul', { class: 'dl-rule-list' }, ...ids.slice(0, limit).map((i) => ruleRow(ctx, i))));
  if (ids.length > limit) {
    details.appendChild(button([`Show ${fmt(Math.min(100, ids.length - limit))} more of ${fmt(ids.length - limit)}`], { class: 'dl-more', 'data-focus': `more:${key}` }, () => {
      ctx.limits.set(key, limit + 100);
      ctx.rerender();
    }));
  }
  return details;
}

export function rulesSection(ctx: PanelContext): HTMLElement {
  const groups = new Map<Vendor, number[]>();
  for (const i of ctx.view.rules) {
    const vendor = ctx.model.rules[i]?.vendor;
    if (vendor) groups.set(vendor, [...(groups.get(vendor) ?? []), i]);
  }
  return h('section', { id: 'rules', class: 'dl-section', 'aria-labelledby': 'rules-h' },
    h('h2', { id: 'rules-h', tabindex: -1 }, icon('list-tree'), 'Rules by vendor', h('span', { class: 'dl-count', 'data-section-count': 'rules' }, plural(ctx.view.ruleCount, 'rule'))),
    ...[...groups].map(([vendor, ids]) => vendorGroup(ctx, vendor, ids)));
}
