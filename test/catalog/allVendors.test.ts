import fc from 'fast-check';
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { Catalog } from '../../server/src/catalog/catalog';
import { ruleIsUnder } from '../../server/src/catalog/attack/attack';
import { VENDORS, type Vendor } from '../../server/src/catalog/record';
import { CorpusIndex } from '../../server/src/catalog/stats/corpusIndex';
import { overview } from '../../server/src/catalog/stats/overview';
import { aggregate } from '../../server/src/panel/aggregate';
import { buildPanelModel, type PanelModel } from '../../server/src/panel/model';
import { corpus, corpusMissing } from '../helpers/paths';

const skip = VENDORS.map(corpusMissing).find(Boolean) || false;

describe('the catalog over all six vendor folders', { skip }, () => {
  let catalog: Catalog;
  before(async () => {
    catalog = await Catalog.build(VENDORS.map((v) => corpus(v)));
    const s = catalog.summary();
    console.log(`indexed ${s.rules} rules from six vendors in ${s.ms} ms; ${s.failures.length} failures`);
    for (const v of VENDORS) console.log(`  ${v}: ${JSON.stringify(s.byVendor[v])}`);
  });

  it('indexes every vendor without a crash, every failure with a reason', () => {
    const s = catalog.summary();
    for (const v of VENDORS) assert.ok(s.byVendor[v].rules > 300, `${v}: ${s.byVendor[v].rules} rules`);
    for (const f of s.failures) assert.ok(f.reason.length > 5, JSON.stringify(f));
  });

  it('gives predicates to ≥95% of the rules that carry query logic, per vendor', () => {
    for (const v of VENDORS) {
      // Panther's corpus holds the YAML side only: rules whose logic lives in a .py file have no query here.
      const withLogic = catalog.records.filter((r) => r.vendor === v && r.kind !== 'machine_learning' && r.kind !== 'correlation'
        && !r.problems.some((p) => /not in catalog/.test(p.message)));
      const withPredicates = withLogic.filter((r) => r.predicates.length > 0);
      const share = withPredicates.length / Math.max(1, withLogic.length);
      console.log(`  ${v}: ${withPredicates.length}/${withLogic.length} rules with logic have predicates (${(share * 100).toFixed(1)}%)`);
      assert.ok(share >= 0.95, `${v}: ${(share * 100).toFixed(1)}%`);
    }
  });

  it('overview T1562 counts rules from every vendor and fills every section', () => {
    const o = catalog.overview('T1562');
    for (const v of VENDORS) assert.ok(o.byVendor[v] > 0, `${v} has rules under T1562`);
    assert.equal(o.ruleCount, VENDORS.reduce((n, v) => n + o.byVendor[v], 0));
    const expected = catalog.records.filter((r) => ruleIsUnder(r.techniques, 'T1562')).length;
    assert.equal(o.ruleCount, expected);
    assert.ok(o.events.length >= 10, `events: ${o.events.length}`);
    assert.ok(o.events.every((e) => e.title.length > 0 && e.rules > 0));
    assert.ok(o.fields.length > 50 && o.indicators.length > 500 && o.exclusions.length > 50);
  });

  it('joins vendors in one row: the Image field and a shared indicator count rules of several vendors', () => {
    const here = catalog.records.filter((r) => ruleIsUnder(r.techniques, 'T1562'));
    const vendorsTesting = (field: string) => new Set<Vendor>(here.filter((r) => r.predicates.some((p) => p.field === field)).map((r) => r.vendor));
    const imageVendors = vendorsTesting('Image');
    assert.ok(imageVendors.has('sigma') && imageVendors.has('elastic') && imageVendors.size >= 3, [...imageVendors].join(','));
    const elasticImage = here.find((r) => r.vendor === 'elastic' && r.predicates.some((p) => p.field === 'Image'));
    assert.ok(elasticImage?.predicates.some((p) => p.field === 'Image' && /^process\.(executable|name)$/.test(p.sourceField)));
    const commandLine = vendorsTesting('CommandLine');
    assert.ok(commandLine.size >= 4, [...commandLine].join(','));
    const o = catalog.overview('T1562');
    const row = o.fields.find((f) => f.field === 'Image');
    assert.ok(row && row.rules === here.filter((r) => r.predicates.some((p) => p.field === 'Image')).length);
  });

  it('gives the same overviews and panel views whatever order the rules arrived in', () => {
    // a language server's catalog takes rules in the order its parse threads answer
    const records = catalog.records;
    const [shuffled = []] = fc.sample(fc.shuffledSubarray([...records], { minLength: records.length, maxLength: records.length }), { seed: 1128, numRuns: 1 });
    assert.equal(shuffled.length, records.length);
    assert.notDeepEqual(shuffled.slice(0, 50).map((r) => r.path), records.slice(0, 50).map((r) => r.path), 'shuffled');
    const corpusIndex = new CorpusIndex(shuffled);
    for (const technique of ['T1059', 'T1562', 'T1003', 'T1055', 'T1685']) {
      const inFileOrder = overview(catalog.records, technique);
      assert.ok(inFileOrder.ruleCount > 20, `${technique}: ${inFileOrder.ruleCount} rules`);
      assert.deepEqual(overview(shuffled, technique, { corpus: corpusIndex }), inFileOrder, technique);
      assert.deepEqual(panelAsShown(buildPanelModel(shuffled, technique, corpusIndex, 100)), panelAsShown(buildPanelModel(catalog.records, technique, catalog.corpus, 100)), `${technique}: panel`);
    }
  });
});

/**
 * What the panel shows of a model: its sections, each list of rules as the webview lists them (in the
 * model's order, media/src/rules.ts) and named by file and line instead of by index into the model.
 */
function panelAsShown(model: PanelModel): unknown {
  const view = aggregate(model);
  const named = (ids: readonly number[]) => [...ids]
    .sort((a, b) => (model.rules[a]?.order ?? 0) - (model.rules[b]?.order ?? 0))
    .map((i) => `${model.rules[i]?.file ?? model.rules[i]?.path}:${model.rules[i]?.line ?? 0}`);
  return {
    ...view, rules: named(view.rules),
    indicators: view.indicators.map((row) => ({ ...row, ruleIds: named(row.ruleIds) })),
    exclusions: view.exclusions.map((row) => ({ ...row, ruleIds: named(row.ruleIds) })),
  };
}
