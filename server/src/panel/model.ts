import { techniqueInfo } from '../catalog/attack/attack';
import { eventTitle } from '../catalog/normalize/events';
import { type Op, type RuleRecord, type Vendor } from '../catalog/record';
import { indicatorKey, isIndicator, type CorpusIndex } from '../catalog/stats/corpusIndex';
import { domainsOf, type Domain } from '../catalog/stats/filters';
import { compareRuleRows, rulesUnder, VENDOR_ORDER } from '../catalog/stats/overview';

/**
 * What the panel page needs to compute every section under any filter in the browser: the rules under
 * the technique (all of them, unfiltered) with their events and predicates, and the whole-catalog
 * figures that a filter must not change (corpus reach). Plain JSON, no functions.
 */
export interface PanelModel {
  schema: 1;
  technique: { id: string; name: string; tactics: string[]; equivalents: { id: string; name: string }[] };
  /** Rules in the whole catalog, and the corpus reach from which an indicator is noisy. */
  catalogRules: number;
  noisyReach: number;
  events: PanelEvent[];
  rules: PanelRule[];
  /** Corpus reach per indicatorKey(field, op, value) of every indicator of these rules. */
  reach: Record<string, number>;
  options: FilterOptions;
}

export interface PanelEvent {
  provider: string;
  event: string;
  title: string;
}

export interface PanelPredicate {
  field: string;
  op: Op;
  values: string[];
  negated?: true;
  exclusion?: true;
}

export interface PanelRule {
  vendor: Vendor;
  id: string;
  title: string;
  path: string;
  file?: string;
  line?: number;
  techniques: string[];
  platforms: string[];
  domains: Domain[];
  /** Indices into PanelModel.events. */
  events: number[];
  predicates: PanelPredicate[];
  /** Position in the rule list (vendor, then title), computed once so every browser sorts alike. */
  order: number;
}

/** The values each filter offers, with the rules under the technique that have each. */
export interface FilterOptions {
  vendors: { value: Vendor; rules: number }[];
  platforms: { value: string; rules: number }[];
  domains: { value: Domain; rules: number }[];
}

function countBy<T extends string>(rules: readonly PanelRule[], pick: (r: PanelRule) => readonly T[]): { value: T; rules: number }[] {
  const counts = new Map<T, number>();
  for (const rule of rules) for (const v of new Set(pick(rule))) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, n]) => ({ value, rules: n })).sort((a, b) => b.rules - a.rules || (a.value < b.value ? -1 : 1));
}

function filterOptions(rules: readonly PanelRule[]): FilterOptions {
  return {
    vendors: countBy(rules, (r) => [r.vendor]).sort((a, b) => (VENDOR_ORDER.get(a.value) ?? 0) - (VENDOR_ORDER.get(b.value) ?? 0)),
    platforms: countBy(rules, (r) => r.platforms),
    domains: countBy(rules, (r) => r.domains),
  };
}

function slimPredicates(record: RuleRecord): PanelPredicate[] {
  return record.predicates.map((p) => ({
    field: p.field, op: p.op, values: p.values,
    ...(p.negated ? { negated: true as const } : {}), ...(p.exclusion ? { exclusion: true as const } : {}),
  }));
}

/** Sort order of the overview's rule list (compareRuleRows). */
function ruleOrder(here: readonly RuleRecord[]): number[] {
  const sorted = here.map((r, i) => ({ r, i })).sort((a, b) => compareRuleRows(a.r, b.r));
  const order = new Array<number>(here.length).fill(0);
  sorted.forEach(({ i }, position) => { order[i] = position; });
  return order;
}

export function buildPanelModel(records: readonly RuleRecord[], technique: string, corpus: CorpusIndex, noisyReach: number): PanelModel {
  const id = technique.toUpperCase();
  const info = techniqueInfo(id);
  const here = rulesUnder(records, id);
  const eventIndex = new Map<string, number>();
  const events: PanelEvent[] = [];
  const reach: Record<string, number> = {};
  const order = ruleOrder(here);
  const rules = here.map((r, i): PanelRule => {
    const ruleEvents = r.events.map((e) => {
      const key = `${e.provider}\u0000${e.event}`;
      let at = eventIndex.get(key);
      if (at === undefined) {
        at = events.push({ provider: e.provider, event: e.event, title: eventTitle(e.provider, e.event) }) - 1;
        eventIndex.set(key, at);
      }
      return at;
    });
    for (const p of r.predicates) {
      if (isIndicator(p)) for (const v of p.values) reach[indicatorKey(p.field, p.op, v)] = corpus.reachOf(p.field, p.op, v);
    }
    return {
      vendor: r.vendor, id: r.id, title: r.title, path: r.path, ...(r.file ? { file: r.file } : {}), ...(r.line ? { line: r.line } : {}),
      techniques: r.techniques, platforms: r.platforms, domains: domainsOf(r), events: ruleEvents, predicates: slimPredicates(r), order: order[i] ?? i,
    };
  });
  return {
    schema: 1,
    technique: {
      id, name: info?.name ?? 'Unknown technique', tactics: info?.tactics.map((t) => t.name) ?? [],
      equivalents: (info?.equivalents ?? []).map((e) => ({ id: e, name: techniqueInfo(e)?.name ?? '' })),
    },
    catalogRules: corpus.ruleCount, noisyReach: Number.isFinite(noisyReach) ? noisyReach : 0,
    events, rules, reach, options: filterOptions(rules),
  };
}
