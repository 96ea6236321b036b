import * as jsyaml from 'js-yaml';
import { strict as assert } from 'node:assert';
import { readSections } from '../../server/src/catalog/vendors/yamlSections';

type Loaded = { docs: unknown[] } | { error: string };

function loadAll(text: string): Loaded {
  try {
    // json: a duplicated key wins instead of failing the text, as the Splunk, Sentinel and Panther readers load
    return { docs: jsyaml.loadAll(text, undefined, { json: true }) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Each document with only the `keys` it has (a non-mapping document as it is). */
function only(docs: unknown[], keys: ReadonlySet<string>): unknown[] {
  return docs.map((doc) => (doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? Object.fromEntries(Object.entries(doc).filter(([k]) => keys.has(k))) : doc));
}

/**
 * The claim of yamlSections.ts, checked on one text: every line keeps its number, and where the whole
 * text loads, the sections read load to its wanted keys (or do not load at all, and the caller reads
 * the whole file). Says whether the two loads could be compared.
 */
export function agreesWithWholeText(text: string, keys: ReadonlySet<string>): 'compared' | 'not compared' {
  const partial = readSections(text, keys);
  if (partial === undefined) return 'not compared';
  assert.equal(partial.split('\n').length, text.split('\n').length, 'every line keeps its number');
  const whole = loadAll(text);
  const read = loadAll(partial);
  if ('error' in whole || 'error' in read) return 'not compared';
  assert.deepEqual(read.docs, only(whole.docs, keys), `text:\n${text}\nsections read:\n${partial}`);
  return 'compared';
}
