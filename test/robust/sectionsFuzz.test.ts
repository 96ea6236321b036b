import fc from 'fast-check';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PANTHER_SECTIONS } from '../../server/src/catalog/vendors/panther';
import { SENTINEL_SECTIONS } from '../../server/src/catalog/vendors/sentinel';
import { SIGMA_SECTIONS } from '../../server/src/catalog/vendors/sigma';
import { SPLUNK_SECTIONS } from '../../server/src/catalog/vendors/splunk';
import { agreesWithWholeText } from '../helpers/sections';
import { COMMON_TOKENS, mutatedArb } from './fuzz/mutate';
import { corpusSeeds } from './fuzz/seeds';
import { report } from './report';

/** FUZZ_SEED reproduces a run, as in fuzz.test.ts. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = 3000;
/** Tokens that shape YAML's lines: quotes, brackets, keys at column 0, block scalar headers, anchors. */
const YAML_TOKENS = ['\ntitle: x\n', '\nname: y\n', '\nquery: |\n  ', '\n  "', "\n'", '\n[', ': [', ': {', ': "', ": '", '|+', '>-', '\n---\n', '&a ', '*a', '\t'];

const VENDORS = [
  { vendor: 'sigma', pattern: 'rules*/**/*.yml', sections: SIGMA_SECTIONS },
  { vendor: 'splunk', pattern: 'detections/**/*.yml', sections: SPLUNK_SECTIONS },
  { vendor: 'sentinel', pattern: '{Detections,Hunting Queries}/**/*.{yml,yaml}', sections: SENTINEL_SECTIONS },
  { vendor: 'panther', pattern: '**/*.{yml,yaml}', sections: PANTHER_SECTIONS },
];

/**
 * Real rules with a few edits (the broken file an upstream commit may hold): wherever js-yaml loads the
 * edited file, reading only the parser's keys gives those keys as they are in the whole file.
 */
describe(`reading only the wanted YAML keys, on mutated real rules (seed ${SEED}; FUZZ_SEED=${SEED} reproduces)`, () => {
  for (const { vendor, pattern, sections } of VENDORS) {
    it(`${vendor}: ${RUNS} edited rules, the kept keys as js-yaml reads them from the whole file`, () => {
      const seeds = corpusSeeds(vendor, pattern, (text) => [text], ['title: t\ndescription: "a\n  b"\ndetection:\n  selection:\n    Image: x\n  condition: selection\n']);
      let compared = 0;
      // up to three edits: more leave too few files that js-yaml still loads to compare
      fc.assert(fc.property(mutatedArb(seeds.texts, [...COMMON_TOKENS, ...YAML_TOKENS], 3), (text) => {
        if (agreesWithWholeText(text, sections) === 'compared') compared++;
      }), { numRuns: RUNS, seed: SEED });
      report(`sections ${vendor}: ${RUNS} edited rules (${seeds.origin}); ${compared} loaded both ways and agreed`);
      // most edits break the YAML or make the scan give up (~10–20% are compared); enough must be for the test to say something
      assert.ok(compared > RUNS / 20, `only ${compared} of ${RUNS} edited rules were compared`);
    });
  }
});
