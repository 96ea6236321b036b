import type { Op } from '../record';
import { indicatorKey, isIndicator } from './corpusIndex';
import { finish, sliceEnds, type Steps } from './steps';
import { RuleTally, Spellings } from './tally';

/**
 * The per-field and per-value sections of a technique overview, over any rule shape that carries
 * predicates. Shared by stats/overview.ts (node side, RuleRecord) and the panel page, which recomputes
 * them in the browser for each filter (PanelRule): this module imports nothing that needs node or the
 * ATT&CK tables, so it bundles into the webview script.
 */
export interface SectionPredicate {
  field: string;
  op: Op;
  values: readonly string[];
  negated?: boolean;
  exclusion?: boolean;
}

export interface SectionRule {
  predicates: readonly SectionPredicate[];
}

export interface FieldRow {
  field: string;
  rules: number;
  ops: Partial<Record<Op, number>>;
  samples: string[];
}

export interface ValueRow {
  field: string;
  op: Op;
  value: string;
  rules: number;
  /** Indices into the rules the section was computed over. */
  ruleIds: number[];
}

const SAMPLE_COUNT = 5;

function splitKey(key: string): [string, Op, string] {
  const [field = '', op = 'eq', value = ''] = key.split('\u0000');
  return [field, op as Op, value];
}

/** Fields filtered most: rules per field (once per rule), operators with counts, most used values. */
export function fieldsSection(here: readonly SectionRule[]): FieldRow[] {
  return finish(fieldsSectionSteps(here));
}

export function* fieldsSectionSteps(here: readonly SectionRule[]): Steps<FieldRow[]> {
  const fields = new RuleTally();
  const ops = new Map<string, RuleTally<Op>>();
  const samples = new Map<string, RuleTally>();
  const spellings = new Spellings();
  for (let i = 0; i < here.length; i++) {
    if (sliceEnds(i)) yield;
    for (const p of (here[i] as SectionRule).predicates) {
      fields.add(p.field, i);
      const opTally = ops.get(p.field) ?? new RuleTally<Op>();
      opTally.add(p.op, i);
      ops.set(p.field, opTally);
      if (!isIndicator(p)) continue;
      const sampleTally = samples.get(p.field) ?? new RuleTally();
      for (const v of p.values) {
        sampleTally.add(v.toLowerCase(), i);
        spellings.add(`${p.field}\u0000${v.toLowerCase()}`, v);
      }
      samples.set(p.field, sampleTally);
    }
  }
  yield;
  return fields.ranked().map(({ key: field, count }) => ({
    field, rules: count,
    ops: Object.fromEntries((ops.get(field)?.ranked() ?? []).map((o) => [o.key, o.count])),
    samples: (samples.get(field)?.ranked() ?? []).slice(0, SAMPLE_COUNT).map((s) => spellings.best(`${field}\u0000${s.key}`, s.key)),
  }));
}

/**
 * Top indicators (with corpus reach from `reachOf`, most rules first, then most reach) and exclusions,
 * per (field, op, value) compared case-insensitively, each value shown in its most common spelling.
 */
export function valueSections(
  here: readonly SectionRule[], reachOf: (field: string, op: Op, value: string) => number,
): { indicators: (ValueRow & { reach: number })[]; exclusions: ValueRow[] } {
  return finish(valueSectionsSteps(here, reachOf, true));
}

type Rows<R> = { indicators: (R & { reach: number })[]; exclusions: R[] };

/** `withRuleIds`: the panel links rows to rules; the overview of the contract has no use for the ids. */
export function valueSectionsSteps(here: readonly SectionRule[], reachOf: (field: string, op: Op, value: string) => number, withRuleIds: true): Steps<Rows<ValueRow>>;
export function valueSectionsSteps(here: readonly SectionRule[], reachOf: (field: string, op: Op, value: string) => number, withRuleIds: false): Steps<Rows<Omit<ValueRow, 'ruleIds'>>>;
export function* valueSectionsSteps(
  here: readonly SectionRule[], reachOf: (field: string, op: Op, value: string) => number, withRuleIds: boolean,
): Steps<Rows<Omit<ValueRow, 'ruleIds'> & { ruleIds?: number[] }>> {
  const indicators = new RuleTally();
  const exclusions = new RuleTally();
  const spellings = new Spellings();
  // The rows take field and op from the first predicate of each key, not from pieces of the key: a
  // piece of a string keeps the whole string alive, and the overviews the server keeps held ~1.5 MB
  // of keys each for the large techniques that way.
  const firstOf = new Map<string, SectionPredicate>();
  for (let i = 0; i < here.length; i++) {
    if (sliceEnds(i)) yield;
    for (const p of (here[i] as SectionRule).predicates) {
      const tally = p.exclusion ? exclusions : isIndicator(p) ? indicators : undefined;
      if (!tally) continue;
      for (const value of p.values) {
        const key = indicatorKey(p.field, p.op, value);
        tally.add(key, i);
        spellings.add(key, value);
        if (!firstOf.has(key)) firstOf.set(key, p);
      }
    }
  }
  const row = (tally: RuleTally, key: string, count: number) => {
    const first = firstOf.get(key);
    const [field, op, lower] = first ? [first.field, first.op, ''] : splitKey(key);
    const value = spellings.best(key, lower);
    return withRuleIds ? { field, op, value, rules: count, ruleIds: tally.ruleIds(key) } : { field, op, value, rules: count };
  };
  const ranked = indicators.ranked();
  yield;
  const withReach: (Omit<ValueRow, 'ruleIds'> & { ruleIds?: number[]; reach: number })[] = [];
  for (let i = 0; i < ranked.length; i++) {
    if (sliceEnds(i, 256)) yield;
    const { key, count } = ranked[i] as { key: string; count: number };
    const r = row(indicators, key, count);
    withReach.push({ ...r, reach: reachOf(r.field, r.op, r.value) });
  }
  yield;
  withReach.sort((a, b) => b.rules - a.rules || b.reach - a.reach);
  yield;
  return { indicators: withReach, exclusions: exclusions.ranked().map(({ key, count }) => row(exclusions, key, count)) };
}
