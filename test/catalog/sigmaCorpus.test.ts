import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import fg from 'fast-glob';
import { Catalog } from '../../server/src/catalog/catalog';
import { corpus, corpusMissing, CORPORA } from '../helpers/paths';

const skip = corpusMissing('sigma');

/** Technique tags read straight from each file's text, independent of the Sigma model. */
function tagsByFile(root: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rel of fg.sync('**/*.yml', { cwd: root })) {
    const text = readFileSync(path.join(root, rel), 'utf8');
    const tags = [...text.matchAll(/^\s*-\s*attack\.(t\d{4}(?:\.\d{3})?)\s*(?:#.*)?$/gim)].map((m) => (m[1] ?? '').toUpperCase());
    out.set(rel, tags);
  }
  return out;
}

describe('Sigma corpus', { skip }, () => {
  let catalog: Catalog;
  before(async () => {
    catalog = await Catalog.build([corpus('sigma')]);
    console.log(`indexed the Sigma corpus in ${catalog.summary().ms} ms`);
  });

  it('counts every file, gives nearly every rule predicates, and techniques exactly to tagged rules', () => {
    const summary = catalog.summary();
    const sigma = summary.byVendor.sigma;
    const files = fg.sync('**/*.yml', { cwd: corpus('sigma') }).length;
    assert.equal(sigma.files, files);
    assert.ok(sigma.withPredicates / sigma.detectionRules >= 0.99, `${sigma.withPredicates}/${sigma.detectionRules}`);
    const tagged = [...tagsByFile(corpus('sigma')).values()].filter((t) => t.length > 0).length;
    assert.equal(sigma.withTechniques, tagged);
    for (const failure of summary.failures) assert.ok(failure.reason.length > 0);
    console.log(JSON.stringify(sigma));
  });

  it('overview T1562 counts exactly the rules whose tags map to T1562 through the crosswalk', () => {
    const crosswalk = JSON.parse(readFileSync(path.join(CORPORA, 'attack', 'derived', 'attack-v19-crosswalk.json'), 'utf8')) as { old_to_new: Record<string, string[]> };
    const newToOld = new Map<string, string[]>();
    for (const [old, news] of Object.entries(crosswalk.old_to_new)) for (const n of news) newToOld.set(n, [...(newToOld.get(n) ?? []), old]);
    const under = (tag: string) => (newToOld.get(tag) ?? [tag]).some((t) => t === 'T1562' || t.startsWith('T1562.'));
    const expected = new Set<string>();
    for (const [rel, tags] of tagsByFile(corpus('sigma'))) if (tags.some(under)) expected.add(rel);
    const result = catalog.overview('T1562');
    assert.equal(result.ruleCount, expected.size);
    assert.deepEqual(new Set(result.rules.map((r) => r.path)), expected);
    assert.ok(result.ruleCount > 100);
    assert.equal(result.technique.name, 'Impair Defenses');
    assert.deepEqual(result.technique.equivalents, ['T1685']);
    assert.ok(result.fields.length > 10 && result.indicators.length > 100 && result.exclusions.length > 10);
    assert.ok(result.events.length > 0);
    assert.ok(result.indicators.every((i) => i.reach >= i.rules), 'reach counts the whole catalog, so never less than here');
    const t1685005 = result.rules.filter((r) => r.techniques.every((t) => t.startsWith('T1685.005')));
    assert.equal(t1685005.length, 0, 'T1685.005 (formerly T1070.001) is not under T1562');
  });
});
