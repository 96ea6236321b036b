import type { FileOutcome } from './indexer';
import { VENDORS, type Failure, type Vendor } from './record';

export interface VendorCounts {
  files: number;
  rules: number;
  withPredicates: number;
  withTechniques: number;
  failed: number;
  /** Beyond the contract: what the rules are, and files of the vendor that are not rules. */
  skipped: number;
  detectionRules: number;
  correlations: number;
  filters: number;
  machineLearning: number;
  deprecated: number;
  withProblems: number;
}

export interface IndexSummary {
  rules: number;
  byVendor: Record<Vendor, VendorCounts>;
  failures: Failure[];
  /** Files that no vendor claims (README, configs): counted, not failures. */
  unrecognized: number;
  ms: number;
}

function emptyCounts(): VendorCounts {
  return {
    files: 0, rules: 0, withPredicates: 0, withTechniques: 0, failed: 0, skipped: 0, detectionRules: 0,
    correlations: 0, filters: 0, machineLearning: 0, deprecated: 0, withProblems: 0,
  };
}

function countRules(counts: VendorCounts, outcome: FileOutcome): void {
  for (const rule of outcome.rules) {
    counts.rules++;
    if (rule.predicates.length > 0) counts.withPredicates++;
    if (rule.techniques.length > 0) counts.withTechniques++;
    if (rule.problems.length > 0) counts.withProblems++;
    if (rule.deprecated) counts.deprecated++;
    const kind = rule.kind ?? 'detection';
    if (kind === 'correlation') counts.correlations++;
    else if (kind === 'filter') counts.filters++;
    else if (kind === 'machine_learning') counts.machineLearning++;
    else counts.detectionRules++;
  }
}

/** The `index` command's figures: per vendor files, rules and failures, every failure with its reason. */
export function summarize(outcomes: readonly FileOutcome[], errors: readonly { path: string; reason: string }[], ms: number): IndexSummary {
  const byVendor = Object.fromEntries(VENDORS.map((v) => [v, emptyCounts()])) as Record<Vendor, VendorCounts>;
  const failures: Failure[] = errors.map((e) => ({ path: e.path, reason: e.reason }));
  let unrecognized = 0;
  for (const outcome of outcomes) {
    const counts = outcome.vendor ? byVendor[outcome.vendor] : undefined;
    if (outcome.failure) failures.push(outcome.failure);
    if (!counts) {
      if (!outcome.failure) unrecognized++;
      continue;
    }
    counts.files++;
    if (outcome.failure) counts.failed++;
    else if (outcome.skip && outcome.rules.length === 0) counts.skipped++;
    countRules(counts, outcome);
  }
  const rules = Object.values(byVendor).reduce((sum, c) => sum + c.rules, 0);
  return { rules, byVendor, failures, unrecognized, ms: Math.round(ms) };
}
