import fc from 'fast-check';
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { inputArb } from './fuzz/mutate';
import { TARGETS, type Target } from './fuzz/targets';
import { report } from './report';

/** The bound: no single input may take longer than this. */
const MAX_MS_PER_INPUT = 1000;
/** FUZZ_SEED reproduces a run; otherwise each run explores new inputs (the seed is printed). */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

interface Tally {
  inputs: number;
  slowest: { ms: number; input: string };
  internal: { reason: string; input: string }[];
}

function timed(target: Target, input: string, tally: Tally): void {
  const started = performance.now();
  const reason = target.run(input);
  const ms = performance.now() - started;
  tally.inputs++;
  if (ms > tally.slowest.ms) tally.slowest = { ms, input };
  if (reason !== undefined) tally.internal.push({ reason, input });
}

/** Saves an input a human will want to replay, and says where. */
function saved(name: string, input: string): string {
  const file = path.join(tmpdir(), `dl-fuzz-${name.replace(/\W+/g, '_').slice(0, 40)}.txt`);
  writeFileSync(file, input);
  return file;
}

describe(`fuzzing every parser (seed ${SEED}; FUZZ_SEED=${SEED} reproduces)`, () => {
  for (const target of TARGETS) {
    it(`${target.name}: ${target.runs} inputs, nothing escapes, each under ${MAX_MS_PER_INPUT} ms`, () => {
      const seeds = target.seeds();
      const tally: Tally = { inputs: 0, slowest: { ms: 0, input: '' }, internal: [] };
      for (const seed of seeds.texts) timed(target, seed, tally);
      // Exceptions fail the property, and fast-check shrinks the input to a small one that still throws.
      fc.assert(fc.property(inputArb(seeds.texts, target.tokens), (input) => timed(target, input, tally)), { numRuns: target.runs, seed: SEED });
      report(`fuzz ${target.name}: ${tally.inputs} inputs (${seeds.origin}); 0 exceptions; ${tally.internal.length} internal errors; slowest ${tally.slowest.ms.toFixed(1)} ms`);
      assert.ok(tally.inputs >= target.runs);
      const first = tally.internal[0];
      assert.ok(first === undefined, first && `${tally.internal.length} inputs hit the parser's catch-all, e.g. "${first.reason}" — input saved to ${saved(target.name, first.input)}` + ` (first 200 chars: ${JSON.stringify(first.input.slice(0, 200))})`);
      assert.ok(tally.slowest.ms < MAX_MS_PER_INPUT, `slowest input took ${tally.slowest.ms.toFixed(0)} ms — saved to ${saved(target.name, tally.slowest.input)}`);
    });
  }
});
