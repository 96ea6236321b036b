import type { Op } from '../record';
import { indicatorKey, isIndicator } from './corpusIndex';
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
      if (!isIndicator(p)) continue;
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

/**
 * Top indicators (with corpus reach from `reachOf`, most rules first, then most reach) and exclusions,
 * per (field, op, value) compared case-insensitively, each value shown in its most common spelling.
 */
export function valueSections(
  here: readonly SectionRule[], reachOf: (field: string, op: Op, value: string) => number,
): { indicators: (ValueRow & { reach: number })[]; exclusions: ValueRow[] } {
  const indicators = new RuleTally();
  const exclusions = new RuleTally();
  const spellings = new Spellings();
  here.forEach((rule, i) => {
    for (const p of rule.predicates) {
      const tally = p.exclusion ? exclusions : isIndicator(p) ? indicators : undefined;
      if (!tally) continue;
      for (const value of p.values) {
        const key = indicatorKey(p.field, p.op, value);
        tally.add(key, i);
        spellings.add(key, value);
      }
    }
  });
  const rows = (tally: RuleTally): ValueRow[] => tally.ranked().map(({ key, count }) => {
    const [field, op, lower] = splitKey(key);
    return { field, op, value: spellings.best(key, lower), rules: count, ruleIds: tally.ruleIds(key) };
  });
  const withReach = rows(indicators).map((row) => ({ ...row, reach: reachOf(row.field, row.op, row.value) }));
  withReach.sort((a, b) => b.rules - a.rules || b.reach - a.reach);
  return { indicators: withReach, exclusions: rows(exclusions) };
}
