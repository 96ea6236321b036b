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

function countRules(counts: VendorCounts, outcome: FileOutcome, sign: 1 | -1): void {
  for (const rule of outcome.rules) {
    counts.rules += sign;
    if (rule.predicates.length > 0) counts.withPredicates += sign;
    if (rule.techniques.length > 0) counts.withTechniques += sign;
    if (rule.problems.length > 0) counts.withProblems += sign;
    if (rule.deprecated) counts.deprecated += sign;
    const kind = rule.kind ?? 'detection';
    if (kind === 'correlation') counts.correlations += sign;
    else if (kind === 'filter') counts.filters += sign;
    else if (kind === 'machine_learning') counts.machineLearning += sign;
    else counts.detectionRules += sign;
  }
}

/**
 * Counts one file's outcome into a summary (sign 1) or takes it out again (sign -1), in place: a
 * catalog keeps its summary current this way as files come and change. The failures list is the
 * caller's.
 */
export function countOutcome(summary: Pick<IndexSummary, 'byVendor' | 'rules' | 'unrecognized'>, outcome: FileOutcome, sign: 1 | -1): void {
  const counts = outcome.vendor ? summary.byVendor[outcome.vendor] : undefined;
  if (!counts) {
    if (!outcome.failure) summary.unrecognized += sign;
    return;
  }
  counts.files += sign;
  if (outcome.failure) counts.failed += sign;
  else if (outcome.skip && outcome.rules.length === 0) counts.skipped += sign;
  countRules(counts, outcome, sign);
  summary.rules += sign * outcome.rules.length;
}

/** The `index` command's figures: per vendor files, rules and failures, every failure with its reason. */
export function summarize(outcomes: readonly FileOutcome[], errors: readonly { path: string; reason: string }[], ms: number): IndexSummary {
  const summary: IndexSummary = {
    rules: 0, byVendor: Object.fromEntries(VENDORS.map((v) => [v, emptyCounts()])) as Record<Vendor, VendorCounts>,
    failures: errors.map((e) => ({ path: e.path, reason: e.reason })), unrecognized: 0, ms: Math.round(ms),
  };
  for (const outcome of outcomes) {
    if (outcome.failure) summary.failures.push(outcome.failure);
    countOutcome(summary, outcome, 1);
  }
  return summary;
}
