import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fg from 'fast-glob';
import { diagnose } from '../../server/src/analysis/diagnose';
import { knowledgeOf } from '../../server/src/analysis/validate/knowledge';
import { Catalog } from '../../server/src/catalog/catalog';
import { parseSigmaDocument } from '../../server/src/sigma/document';
import { corpus, corpusMissing } from '../helpers/paths';

const skip = corpusMissing('sigma');

/**
 * No false alarms: the SigmaHQ corpus passes SigmaHQ's own CI, so the validator (with the corpus as its
 * catalog, as in the editor) must report no error on at least 99% of its rules. Every error is printed.
 */
describe('validation over the SigmaHQ corpus', { skip }, () => {
  it('reports no error on at least 99% of the rules, and the same errors with or without a catalog', async () => {
    const root = corpus('sigma');
    const catalog = await Catalog.build([root]);
    const knowledge = knowledgeOf(catalog);
    const files = fg.sync('**/*.yml', { cwd: root }).sort();
    const withErrors: string[] = [];
    const counts = new Map<string, number>();
    for (const file of files) {
      const doc = parseSigmaDocument(readFileSync(path.join(root, file), 'utf8'));
      const findings = diagnose(doc, undefined, knowledge);
      for (const f of findings) counts.set(`${f.severity} ${f.code}`, (counts.get(`${f.severity} ${f.code}`) ?? 0) + 1);
      const errors = findings.filter((f) => f.severity === 'error');
      const bare = diagnose(doc).filter((f) => f.severity === 'error');
      assert.deepEqual(bare.map((f) => f.message), errors.map((f) => f.message), `${file}: errors must not depend on the catalog`);
      if (errors.length) withErrors.push(...errors.map((e) => `${file}: [${e.code}] ${e.message}`));
    }
    const clean = files.length - new Set(withErrors.map((e) => e.split(':')[0])).size;
    console.log(`validation: ${clean}/${files.length} rules without error (${((100 * clean) / files.length).toFixed(2)}%)`);
    for (const e of withErrors) console.log(`  error ${e}`);
    console.log(`  findings by severity and code: ${JSON.stringify(Object.fromEntries([...counts].sort()))}`);
    assert.ok(files.length > 3000, `the corpus has ${files.length} rules`);
    assert.ok(clean / files.length >= 0.99, `${clean}/${files.length} rules without error`);
  });
});
