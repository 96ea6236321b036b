import { VENDORS, type Op, type Vendor } from '../catalog/record';
import { indicatorKey } from '../catalog/stats/corpusIndex';
import type { RuleFilter } from '../catalog/stats/filters';
import type { Overview } from '../catalog/stats/overview';
import { RuleTally, Spellings } from '../catalog/stats/tally';
import type { PanelModel, PanelPredicate, PanelRule } from './model';

/**
 * The overview's sections recomputed in the browser for a filter, from a PanelModel. It mirrors
 * stats/overview.ts step for step (same tallies, same tie order, same spelling choice), which the
 * panel tests check against `overview()` itself; corpus reach comes from the model, whole-catalog.
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

const SAMPLE_COUNT = 5;

function indicatorLike(p: PanelPredicate): boolean {
  return !p.negated && !p.exclusion && p.values.length > 0;
}

export function ruleMatches(rule: PanelRule, filter: RuleFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.vendors?.length && !filter.vendors.includes(rule.vendor)) return false;
  if (filter.platforms?.length && !rule.platforms.some((p) => filter.platforms?.includes(p))) return false;
  if (filter.domains?.length && !rule.domains.some((d) => filter.domains?.includes(d))) return false;
  return true;
}

function splitKey(key: string): [string, Op, string] {
  const [field = '', op = 'eq', value = ''] = key.split('\u0000');
  return [field, op as Op, value];
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

function fieldsSection(here: readonly PanelRule[]): PanelView['fields'] {
  const fields = new RuleTally();
  const ops = new Map<string, RuleTally<Op>>();
  const samples = new Map<string, RuleTally>();
  const spellings = new Spellings();
  here.forEach((rule, i) => {
    for (const p of rule.predicates) {
      fields.add(p.field, i);
      const opTally = ops.get(p.field) ?? new RuleTally<Op>();
      opTally.add(p.op, i);
      ops.set(p.field, opTally);
      if (!indicatorLike(p)) continue;
      const sampleTally = samples.get(p.field) ?? new RuleTally();
      for (const v of p.values) {
        sampleTally.add(v.toLowerCase(), i);
        spellings.add(`${p.field}\u0000${v.toLowerCase()}`, v);
      }
      samples.set(p.field, sampleTally);
    }
  });
  return fields.ranked().map(({ key: field, count }) => ({
    field, rules: count,
    ops: Object.fromEntries((ops.get(field)?.ranked() ?? []).map((o) => [o.key, o.count])),
    samples: (samples.get(field)?.ranked() ?? []).slice(0, SAMPLE_COUNT).map((s) => spellings.best(`${field}\u0000${s.key}`, s.key)),
  }));
}

function valueSections(model: PanelModel, here: readonly PanelRule[], ids: readonly number[]): Pick<PanelView, 'indicators' | 'exclusions'> {
  const indicators = new RuleTally();
  const exclusions = new RuleTally();
  const spellings = new Spellings();
  here.forEach((rule, i) => {
    for (const p of rule.predicates) {
      const tally = p.exclusion ? exclusions : indicatorLike(p) ? indicators : undefined;
      if (!tally) continue;
      for (const value of p.values) {
        const key = indicatorKey(p.field, p.op, value);
        tally.add(key, i);
        spellings.add(key, value);
      }
    }
  });
  const rows = (tally: RuleTally) => tally.ranked().map(({ key, count }) => {
    const [field, op, lower] = splitKey(key);
    return { field, op, value: spellings.best(key, lower), rules: count, ruleIds: tally.ruleIds(key).map((i) => ids[i] ?? 0) };
  });
  const withReach = rows(indicators).map((row) => ({ ...row, reach: model.reach[indicatorKey(row.field, row.op, row.value)] ?? 0 }));
  withReach.sort((a, b) => b.rules - a.rules || b.reach - a.reach);
  return { indicators: withReach, exclusions: rows(exclusions) };
}

/** Every section of the overview over the rules of the model that pass the filter. */
export function aggregate(model: PanelModel, filter?: RuleFilter): PanelView {
  const ids: number[] = [];
  model.rules.forEach((rule, i) => { if (ruleMatches(rule, filter)) ids.push(i); });
  const here = ids.map((i) => model.rules[i] as PanelRule);
  const byVendor = Object.fromEntries(VENDORS.map((v) => [v, 0])) as Record<Vendor, number>;
  for (const rule of here) byVendor[rule.vendor]++;
  const rules = [...ids].sort((a, b) => (model.rules[a]?.order ?? 0) - (model.rules[b]?.order ?? 0));
  return { ruleCount: here.length, byVendor, events: eventsSection(model, here), fields: fieldsSection(here), ...valueSections(model, here, ids), rules };
}
