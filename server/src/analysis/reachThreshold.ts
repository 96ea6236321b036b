import type { CorpusIndex } from '../catalog/stats/corpusIndex';

/**
 * The default corpus-reach threshold, from the catalog's own distribution: an indicator is high-reach
 * when it is among the most used 0.5% of distinct (field, op, value) indicators of the catalog. Most
 * indicators are used by one or two rules, so the cut-off follows the long tail whatever the catalog's
 * size; a reach of 1 (only the rule itself) is never noisy.
 */
export const HIGH_REACH_SHARE = 0.005;

export function defaultReachThreshold(corpus: CorpusIndex): number {
  const count = corpus.indicatorCount;
  if (count === 0) return Number.POSITIVE_INFINITY;
  const index = Math.min(count - 1, Math.floor((1 - HIGH_REACH_SHARE) * (count - 1)));
  // a rank in the corpus's histogram of reach: the same figure as sorting every reach value, without the sort
  return Math.max(2, corpus.reachAtRank(index) ?? 2);
}
