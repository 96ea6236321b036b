import { ruleIsUnder, techniqueInfo } from '../attack/attack';
import { eventTitle } from '../normalize/events';
import { VENDORS, type Op, type RuleRecord, type Vendor } from '../record';
import { CorpusIndex } from './corpusIndex';
import { matchesFilter, type RuleFilter } from './filters';
import { fieldsSectionSteps, valueSectionsSteps } from './sections';
import { finish, sliceEnds, type Steps } from './steps';
import { RuleTally } from './tally';

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

/** The rules under a technique (contract: matching across ATT&CK versions), filtered. */
export function rulesUnder(records: readonly RuleRecord[], technique: string, filter?: RuleFilter): RuleRecord[] {
  return finish(rulesUnderSteps(records, technique, filter));
}

function* rulesUnderSteps(records: readonly RuleRecord[], technique: string, filter?: RuleFilter): Steps<RuleRecord[]> {
  // A catalog has a few hundred distinct tags over 11,000 rules: decide each tag once per call.
  const under = new Map<string, boolean>();
  const tagIsUnder = (tag: string) => {
    let yes = under.get(tag);
    if (yes === undefined) under.set(tag, (yes = ruleIsUnder([tag], technique)));
    return yes;
  };
  const here: RuleRecord[] = [];
  for (let i = 0; i < records.length; i++) {
    if (sliceEnds(i, 2048)) yield;
    const r = records[i] as RuleRecord;
    if (r.techniques.some(tagIsUnder) && matchesFilter(r, filter)) here.push(r);
  }
  return here;
}

function eventsSection(here: readonly RuleRecord[]): Overview['events'] {
  const tally = new RuleTally();
  here.forEach((rule, i) => rule.events.forEach((e) => tally.add(`${e.provider}\u0000${e.event}`, i)));
  return tally.ranked().map(({ key, count }) => {
    const [provider = '', event = ''] = key.split('\u0000');
    return { provider, event, title: eventTitle(provider, event), rules: count };
  });
}

/** Each vendor's place in VENDORS: the order the overview and the panel list vendors in. */
export const VENDOR_ORDER: ReadonlyMap<string, number> = new Map(VENDORS.map((v, i) => [v, i]));

/**
 * The order of an overview's rule list: vendor, title, then where the rule is (rules of one title, such
 * as a rule and its copy in another folder, must not come in the order the catalog received them).
 */
export function compareRuleRows(a: RuleRecord, b: RuleRecord): number {
  return (VENDOR_ORDER.get(a.vendor) ?? 0) - (VENDOR_ORDER.get(b.vendor) ?? 0) || a.title.localeCompare(b.title)
    || codeUnitOrder(a.file ?? a.path, b.file ?? b.path) || (a.line ?? 0) - (b.line ?? 0) || codeUnitOrder(a.id, b.id);
}

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function ruleRows(here: readonly RuleRecord[]): OverviewRule[] {
  return [...here]
    .sort(compareRuleRows)
    .map((r) => ({
      vendor: r.vendor, id: r.id, title: r.title, path: r.path, techniques: r.techniques,
      ...(r.file ? { file: r.file } : {}), ...(r.line ? { line: r.line } : {}), platforms: r.platforms,
    }));
}

/** The seed page's statistics for one technique, over the filtered rules under it. */
export function overview(records: readonly RuleRecord[], technique: string, options: { filter?: RuleFilter; corpus?: CorpusIndex } = {}): Overview {
  return finish(overviewSteps(records, technique, options));
}

/** The same, in slices of a few milliseconds (see steps.ts). */
export function* overviewSteps(records: readonly RuleRecord[], technique: string, options: { filter?: RuleFilter; corpus?: CorpusIndex } = {}): Steps<Overview> {
  const id = technique.toUpperCase();
  const info = techniqueInfo(id);
  const here = yield* rulesUnderSteps(records, id, options.filter);
  const corpus = options.corpus ?? new CorpusIndex(records);
  const byVendor = Object.fromEntries(VENDORS.map((v) => [v, 0])) as Record<Vendor, number>;
  for (const rule of here) byVendor[rule.vendor]++;
  const events = eventsSection(here);
  yield;
  const fields = yield* fieldsSectionSteps(here);
  // The contract's indicator and exclusion rows: the shared sections without the panel's rule ids.
  const { indicators, exclusions } = yield* valueSectionsSteps(here, (field, op, value) => corpus.reachOf(field, op, value), false);
  return {
    technique: { id, name: info?.name ?? 'Unknown technique', tactics: info?.tactics.map((t) => t.name) ?? [], equivalents: info?.equivalents ?? [] },
    ruleCount: here.length, byVendor, events, fields, indicators, exclusions, rules: ruleRows(here),
  };
}
