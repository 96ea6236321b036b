import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultReachThreshold } from '../../server/src/analysis/reachThreshold';
import { KnowledgeView, knowledgeOf, logsourceKey, valuesFor, type SigmaKnowledge } from '../../server/src/analysis/validate/knowledge';
import { Catalog } from '../../server/src/catalog/catalog';
import type { RuleRecord } from '../../server/src/catalog/record';
import { CorpusIndex, isIndicator } from '../../server/src/catalog/stats/corpusIndex';
import { summarize } from '../../server/src/catalog/summary';
import { REPO_ROOT } from '../helpers/paths';

/**
 * The catalog keeps its live views (corpus index, validator knowledge) current by the difference each
 * changed file makes. After files are changed, created and deleted, each view must equal one built
 * from scratch over the same records.
 */

/** Maps and sets as sorted plain data, records by id, so two views compare with deepEqual. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v)]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  if (value instanceof Set) return [...value].map((v) => (typeof v === 'object' && v !== null && 'id' in v ? (v as RuleRecord).id : plain(v))).sort();
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function knowledgeData(k: SigmaKnowledge): unknown {
  // the value tables are filled lazily, per log source, on first use: compare the counted parts
  const { values: _values, ...counted } = k;
  return plain(counted);
}

function corpusData(corpus: CorpusIndex, records: readonly RuleRecord[]): unknown {
  const rows = records.flatMap((r) => r.predicates.filter(isIndicator).flatMap((p) => p.values.map((v) => [p.field, p.op, v, corpus.reachOf(p.field, p.op, v), corpus.rulesWithField(p.field)])));
  return { rules: corpus.ruleCount, threshold: defaultReachThreshold(corpus), rows: rows.map((r) => r.join('|')).sort() };
}

const NEW_RULE = `title: Live view test rule
id: 0e0e0e0e-0000-4000-8000-00000000abcd
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\liveview.exe'
    LiveViewOnlyField: 'x'
  filter_main:
    ParentImage|endswith: '\\explorer.exe'
  condition: selection and not filter_main
tags: [attack.t1562.001]
`;

describe('live views of a catalog after file changes', () => {
  let dir: string;
  let catalog: Catalog;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-views-'));
    cpSync(path.join(REPO_ROOT, 'examples', 'catalog'), dir, { recursive: true });
    catalog = await Catalog.build([dir]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a changed, a created and a deleted rule file leave each view equal to one built from scratch', async () => {
    const knowledge = knowledgeOf(catalog);
    const corpus = catalog.corpus;
    const summary = catalog.summary(); // kept current by difference from here on
    const key = logsourceKey({ product: 'windows', category: 'process_creation' });
    const windowsRulesBefore = knowledge.logsources.get(key) ?? 0;
    assert.ok(windowsRulesBefore > 0, 'the example catalog has windows process_creation rules');
    assert.equal(knowledge.canonicalFields.get(key)?.has('LiveViewOnlyField') ?? false, false);

    const file = (rel: string) => ({ root: dir, absPath: path.join(dir, rel), relPath: rel });
    const changed = 'sigma/proc_creation_win_netsh_fw_disable.yml';
    writeFileSync(file(changed).absPath, readFileSync(file(changed).absPath, 'utf8').replace(/category: process_creation/, 'category: registry_set'));
    await catalog.refreshFile(file(changed));
    writeFileSync(path.join(dir, 'sigma', 'live_view_rule.yml'), NEW_RULE);
    await catalog.refreshFile(file('sigma/live_view_rule.yml'));
    unlinkSync(file('sigma/aws_cloudtrail_stop_logging.yml').absPath);
    assert.ok(catalog.removeFile(file('sigma/aws_cloudtrail_stop_logging.yml').absPath));
    // a rule file broken and another one fixed again: failures come and go
    writeFileSync(path.join(dir, 'sigma', 'broken_for_a_while.yml'), 'title: broken\ndetection: [unclosed\n');
    await catalog.refreshFile(file('sigma/broken_for_a_while.yml'));
    writeFileSync(path.join(dir, 'sigma', 'broken_then_fixed.yml'), 'title: broken\ndetection: [unclosed\n');
    await catalog.refreshFile(file('sigma/broken_then_fixed.yml'));
    const fixed = 'title: Fixed\nlogsource: {product: linux, category: process_creation}\ndetection:\n  selection: {Image|endswith: /fixed}\n  condition: selection\n';
    writeFileSync(path.join(dir, 'sigma', 'broken_then_fixed.yml'), fixed);
    await catalog.refreshFile(file('sigma/broken_then_fixed.yml'));

    assert.equal(knowledgeOf(catalog), knowledge, 'the same view object, updated in place');
    assert.equal(catalog.corpus, corpus);
    // the changes reached the views: one windows rule moved to registry_set, one came in, and the aws one left
    assert.equal(knowledge.logsources.get(key), windowsRulesBefore);
    assert.equal(knowledge.canonicalFields.get(key)?.get('LiveViewOnlyField'), 1);
    assert.equal(knowledge.logsources.get(logsourceKey({ product: 'aws', service: 'cloudtrail' })), undefined);
    assert.equal(corpus.rulesWithField('LiveViewOnlyField'), 1);

    assert.equal(catalog.summary(), summary, 'the same summary object, updated in place');
    assert.equal(summary.failures.filter((f) => f.path.includes('broken')).length, 1);
    assert.deepEqual(summary, summarize(catalog.outcomes, [], summary.ms));
    assert.deepEqual(knowledgeData(knowledge), knowledgeData(new KnowledgeView(catalog.records)));
    assert.deepEqual(corpusData(corpus, catalog.records), corpusData(new CorpusIndex(catalog.records), catalog.records));
  });

  it('the value tables of a log source follow its rules after a change', async () => {
    const knowledge = knowledgeOf(catalog);
    const ls = { product: 'windows', category: 'process_creation' };
    const before = knowledge.values.get(logsourceKey(ls));
    writeFileSync(path.join(dir, 'sigma', 'live_view_rule.yml'), NEW_RULE.replace("LiveViewOnlyField: 'x'", "LiveViewOnlyField: 'y'"));
    await catalog.refreshFile({ root: dir, absPath: path.join(dir, 'sigma', 'live_view_rule.yml'), relPath: 'sigma/live_view_rule.yml' });
    assert.deepEqual(valuesFor(knowledge, ls, 'LiveViewOnlyField').map((v) => v.value), ['y']);
    assert.notEqual(knowledge.values.get(logsourceKey(ls)), before);
  });
});
