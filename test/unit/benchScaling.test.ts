import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/paths';

interface Scaling {
  spread: number;
  added: { from: number; to: number; usPerRule: number }[];
  addedSpread: number;
  fixedMs: number;
  slopeUsPerRule: number;
}
type ScalingFn = (sizes: number[], rulesOf: (s: number) => number, costMs: (s: number) => number) => Scaling;

// The bench's arithmetic for "cost per rule" (bench/lib/scaling.mjs): the figures docs/benchmarks.md reports.
async function scalingFn(): Promise<ScalingFn> {
  const mod = (await import(pathToFileURL(path.join(REPO_ROOT, 'bench', 'lib', 'scaling.mjs')).href)) as { scaling: ScalingFn };
  return mod.scaling;
}

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} ≠ ${expected}`);

describe('bench scaling figures', () => {
  it('splits a fixed cost from the cost of each rule: the average spreads, the added cost does not', async () => {
    const scaling = await scalingFn();
    const rules: Record<number, number> = { 25: 2000, 50: 4000, 100: 8000 };
    // 600 ms that do not grow, 0.25 ms per rule
    const s = scaling([25, 50, 100], (p) => rules[p] as number, (p) => 600 + 0.25 * (rules[p] as number));
    near(s.fixedMs, 600);
    near(s.slopeUsPerRule, 250);
    assert.deepEqual(s.added.map((a) => [a.from, a.to]), [[25, 50], [50, 100]]);
    for (const a of s.added) near(a.usPerRule, 250);
    near(s.addedSpread, 0);
    // average per rule: 550 µs at 25%, 325 µs at 100%
    near(s.spread, 550 / 325 - 1);
  });

  it('shows a cost that grows faster than the corpus in the added cost', async () => {
    const scaling = await scalingFn();
    const rules: Record<number, number> = { 25: 1000, 50: 2000, 100: 4000 };
    // quadratic: rules² / 10⁶ ms (1 ms at 1,000 rules, 16 ms at 4,000)
    const s = scaling([25, 50, 100], (p) => rules[p] as number, (p) => (rules[p] as number) ** 2 / 1e6);
    near(s.added[0]?.usPerRule as number, 3);
    near(s.added[1]?.usPerRule as number, 6);
    near(s.addedSpread, 1);
  });
});
