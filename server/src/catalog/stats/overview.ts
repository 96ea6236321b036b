import { ruleIsUnder, techniqueInfo } from '../attack/attack';
import { eventTitle } from '../normalize/events';
import { VENDORS, type Op, type RuleRecord, type Vendor } from '../record';
import { CorpusIndex, indicatorKey, isIndicator } from './corpusIndex';
import { matchesFilter, type RuleFilter } from './filters';
import { RuleTally, Spellings } from './tally';

export interface OverviewRule {
  vendor: Vendor;
  id: string;
  title: string;
  path: string;
  techniques: string[];
  /** Beyond the contract: where to open it. */
  file?: string;
  line?: number;
  platforms?: string[];
}

export interface Overview {
  technique: { id: string; name: string; tactics: string[]; equivalents: string[] };
  ruleCount: number;
  byVendor: Record<Vendor, number>;
  events: { provider: string; event: string; title: string; rules: number }[];
  fields: { field: string; rules: number; ops: Partial<Record<Op, number>>; samples: string[] }[];
  indicators: { field: string; op: Op; value: string; rules: number; reach: number }[];
  exclusions: { field: string; op: Op; value: string; rules: number }[];
  rules: OverviewRule[];
}

const SAMPLE_COUNT = 5;

/** The rules under a technique (contract: matching across ATT&CK versions), filtered. */
export function rulesUnder(records: readonly RuleRecord[], technique: string, filter?: RuleFilter): RuleRecord[] {
  // A catalog has a few hundred distinct tags over 11,000 rules: decide each tag once per call.
  const under = new Map<string, boolean>();
  const tagIsUnder = (tag: string) => {
    let yes = under.get(tag);
    if (yes === undefined) under.set(tag, (yes = ruleIsUnder([tag], technique)));
    return yes;
  };
  return records.filter((r) => r.techniques.some(tagIsUnder) && matchesFilter(r, filter));
}

function splitKey(key: string): [string, Op, string] {
  const [field = '', op = 'eq', value = ''] = key.split('\u0000');
  return [field, op as Op, value];
}

function eventsSection(here: readonly RuleRecord[]): Overview['events'] {
  const tally = new RuleTally();
  here.forEach((rule, i) => rule.events.forEach((e) => tally.add(`${e.provider}\u0000${e.event}`, i)));
  return tally.ranked().map(({ key, count }) => {
    const [provider = '', event = ''] = key.split('\u0000');
    return { provider, event, title: eventTitle(provider, event), rules: count };
  });
}

function fieldsSection(here: readonly RuleRecord[]): Overview['fields'] {
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

function valueSections(here: readonly RuleRecord[], corpus: CorpusIndex): Pick<Overview, 'indicators' | 'exclusions'> {
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
  const rows = (tally: RuleTally) => tally.ranked().map(({ key, count }) => {
    const [field, op, lower] = splitKey(key);
    return { field, op, value: spellings.best(key, lower), rules: count };
  });
  const withReach = rows(indicators).map((row) => ({ ...row, reach: corpus.reachOf(row.field, row.op, row.value) }));
  withReach.sort((a, b) => b.rules - a.rules || b.reach - a.reach);
  return { indicators: withReach, exclusions: rows(exclusions) };
}

function ruleRows(here: readonly RuleRecord[]): OverviewRule[] {
  const order = new Map(VENDORS.map((v, i) => [v, i]));
  return [...here]
    .sort((a, b) => (order.get(a.vendor) ?? 0) - (order.get(b.vendor) ?? 0) || a.title.localeCompare(b.title))
    .map((r) => ({
      vendor: r.vendor, id: r.id, title: r.title, path: r.path, techniques: r.techniques,
      ...(r.file ? { file: r.file } : {}), ...(r.line ? { line: r.line } : {}), platforms: r.platforms,
    }));
}

/** The seed page's statistics for one technique, over the filtered rules under it. */
export function overview(records: readonly RuleRecord[], technique: string, options: { filter?: RuleFilter; corpus?: CorpusIndex } = {}): Overview {
  const id = technique.toUpperCase();
  const info = techniqueInfo(id);
  const here = rulesUnder(records, id, options.filter);
  const corpus = options.corpus ?? new CorpusIndex(records);
  const byVendor = Object.fromEntries(VENDORS.map((v) => [v, 0])) as Record<Vendor, number>;
  for (const rule of here) byVendor[rule.vendor]++;
  return {
    technique: { id, name: info?.name ?? 'Unknown technique', tactics: info?.tactics.map((t) => t.name) ?? [], equivalents: info?.equivalents ?? [] },
    ruleCount: here.length, byVendor, events: eventsSection(here), fields: fieldsSection(here),
    ...valueSections(here, corpus), rules: ruleRows(here),
  };
}
