import { VENDORS, type Vendor } from '../catalog/record';
import { indicatorKey } from '../catalog/stats/corpusIndex';
import { matchesFilter, type RuleFilter } from '../catalog/stats/filters';
import type { Overview } from '../catalog/stats/overview';
import { fieldsSection, valueSections } from '../catalog/stats/sections';
import { RuleTally } from '../catalog/stats/tally';
import type { PanelModel, PanelRule } from './model';

/**
 * The overview's sections recomputed in the browser for a filter, from a PanelModel, with the same
 * section code as stats/overview.ts (stats/sections.ts), which the panel tests check against
 * `overview()` itself; corpus reach comes from the model, whole-catalog.
 * This file runs in the webview, so it imports nothing that pulls in node or the ATT&CK tables.
 */
export interface PanelView {
  ruleCount: number;
  byVendor: Overview['byVendor'];
  events: Overview['events'];
  fields: Overview['fields'];
  indicators: (Overview['indicators'][number] & { ruleIds: number[] })[];
  exclusions: (Overview['exclusions'][number] & { ruleIds: number[] })[];
  /** Indices into PanelModel.rules, in the overview's order. */
  rules: number[];
}

function eventsSection(model: PanelModel, here: readonly PanelRule[]): PanelView['events'] {
  const tally = new RuleTally();
  here.forEach((rule, i) => rule.events.forEach((e) => {
    const ev = model.events[e];
    if (ev) tally.add(`${ev.provider}\u0000${ev.event}`, i);
  }));
  const titles = new Map(model.events.map((e) => [`${e.provider}\u0000${e.event}`, e.title]));
  return tally.ranked().map(({ key, count }) => {
    const [provider = '', event = ''] = key.split('\u0000');
    return { provider, event, title: titles.get(key) ?? event, rules: count };
  });
}

/** The shared sections, with rule ids mapped from positions in `here` to indices into the model. */
function valueRows(model: PanelModel, here: readonly PanelRule[], ids: readonly number[]): Pick<PanelView, 'indicators' | 'exclusions'> {
  const toModel = <R extends { ruleIds: number[] }>(row: R): R => ({ ...row, ruleIds: row.ruleIds.map((i) => ids[i] ?? 0) });
  const { indicators, exclusions } = valueSections(here, (field, op, value) => model.reach[indicatorKey(field, op, value)] ?? 0);
  return { indicators: indicators.map(toModel), exclusions: exclusions.map(toModel) };
}

/** Every section of the overview over the rules of the model that pass the filter. */
export function aggregate(model: PanelModel, filter?: RuleFilter): PanelView {
  const ids: number[] = [];
  model.rules.forEach((rule, i) => { if (matchesFilter(rule, filter)) ids.push(i); });
  const here = ids.map((i) => model.rules[i] as PanelRule);
  const byVendor = Object.fromEntries(VENDORS.map((v) => [v, 0])) as Record<Vendor, number>;
  for (const rule of here) byVendor[rule.vendor]++;
  const rules = [...ids].sort((a, b) => (model.rules[a]?.order ?? 0) - (model.rules[b]?.order ?? 0));
  return { ruleCount: here.length, byVendor, events: eventsSection(model, here), fields: fieldsSection(here), ...valueRows(model, here, ids), rules };
}
