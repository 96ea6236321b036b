import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpus, corpusMissing, fixture } from '../../helpers/paths';

/** Seeds for one fuzz target: real rule texts (or the queries inside them), or a synthetic stand-in. */
export interface Seeds {
  texts: string[];
  /** Where they came from, printed with the counts. */
  origin: string;
}

/** At most this many files are read per vendor: enough variety, little start-up time. */
const MAX_FILES = 160;

/**
 * Reads an evenly spaced sample of a corpus's files (sorted, so runs are repeatable) and extracts seed
 * texts from each. When the corpus is missing, says so loudly and returns the synthetic seeds, which
 * are still fuzzed (a smaller, weaker run beats none).
 */
export function corpusSeeds(vendor: string, pattern: string, extract: (text: string, relPath: string) => string[], synthetic: string[], contains?: string): Seeds {
  const missing = corpusMissing(vendor);
  if (missing) return { texts: synthetic, origin: `SYNTHETIC ONLY (${missing})` };
  let files = fg.sync(pattern, { cwd: corpus(vendor), caseSensitiveMatch: false }).sort();
  // A rare language (Lucene: a handful of rules) is sampled among the files that use it.
  if (contains) files = files.filter((rel) => readFileSync(path.join(corpus(vendor), rel), 'utf8').includes(contains));
  const step = Math.max(1, Math.floor(files.length / MAX_FILES));
  const texts: string[] = [];
  for (let i = 0; i < files.length; i += step) {
    const rel = files[i] as string;
    const text = readFileSync(path.join(corpus(vendor), rel), 'utf8');
    for (const seed of extract(text, rel)) if (seed.trim() !== '') texts.push(seed);
  }
  if (texts.length === 0) throw new Error(`no seeds extracted from ${corpus(vendor)}/${pattern}: the extractor no longer fits the corpus`);
  return { texts: [...texts, ...synthetic], origin: `${texts.length} from ${files.length} ${vendor} corpus files (every ${step}th) + ${synthetic.length} synthetic` };
}

/** Seeds from the repository's own fixtures (for a language the corpus snapshot does not hold). */
export function fixtureSeeds(folder: string, pattern: string, synthetic: string[]): Seeds {
  const files = fg.sync(pattern, { cwd: fixture(folder) }).sort();
  const texts = files.map((rel) => readFileSync(path.join(fixture(folder), rel), 'utf8'));
  return { texts: [...texts, ...synthetic], origin: `${texts.length} fixture files of test/fixtures/${folder} + ${synthetic.length} synthetic` };
}
