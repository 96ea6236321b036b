// How an index's cost grows with the corpus, from the runs at 25, 50 and 100%: the average per rule (the
// target's figure), the cost of each rule added between two sizes, and a straight line through the
// three sizes, whose intercept is the part that does not grow with the corpus (starting threads,
// compiling the parsers) and whose slope is the cost of one more rule.

/** `costMs(size)` of each size, against its rule count. */
export function scaling(sizes, rulesOf, costMs) {
  const points = sizes.map((s) => ({ size: s, rules: rulesOf(s), ms: costMs(s) }));
  const perRule = points.map((p) => (p.ms * 1000) / p.rules);
  const added = points.slice(1).map((p, i) => {
    const before = points[i];
    return { from: before.size, to: p.size, usPerRule: ((p.ms - before.ms) * 1000) / (p.rules - before.rules) };
  });
  const addedCosts = added.map((a) => a.usPerRule);
  return {
    spread: Math.max(...perRule) / Math.min(...perRule) - 1,
    added,
    addedSpread: Math.max(...addedCosts) / Math.min(...addedCosts) - 1,
    ...line(points),
  };
}

/** Least squares through the points: ms = fixedMs + slopeUsPerRule / 1000 × rules. */
function line(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.rules, 0) / n;
  const my = points.reduce((s, p) => s + p.ms, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.rules - mx) * (p.ms - my), 0);
  const sxx = points.reduce((s, p) => s + (p.rules - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { fixedMs: my - slope * mx, slopeUsPerRule: slope * 1000 };
}
