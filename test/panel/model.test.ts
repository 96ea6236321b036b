import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Catalog } from '../../server/src/catalog/catalog';
import type { RuleFilter } from '../../server/src/catalog/stats/filters';
import type { Overview } from '../../server/src/catalog/stats/overview';
import { aggregate, type PanelView } from '../../server/src/panel/aggregate';
import { buildPanelModel, type PanelModel } from '../../server/src/panel/model';
import { techniqueList } from '../../server/src/panel/techniques';
import { fixture, REPO_ROOT } from '../helpers/paths';

/** The page's sections in the CLI JSON's shape, to compare with overview() itself. */
function asOverview(model: PanelModel, view: PanelView): Omit<Overview, 'technique'> {
  return {
    ruleCount: view.ruleCount, byVendor: view.byVendor, events: view.events, fields: view.fields,
    indicators: view.indicators.map(({ ruleIds, ...row }) => { void ruleIds; return row; }),
    exclusions: view.exclusions.map(({ ruleIds, ...row }) => { void ruleIds; return row; }),
    rules: view.rules.map((i) => {
      const r = model.rules[i]!;
      return { vendor: r.vendor, id: r.id, title: r.title, path: r.path, techniques: r.techniques, ...(r.file ? { file: r.file } : {}), ...(r.line ? { line: r.line } : {}), platforms: r.platforms };
    }),
  };
}

function filtersOf(model: PanelModel): RuleFilter[] {
  const o = model.options;
  return [
    {},
    ...o.vendors.map((v) => ({ vendors: [v.value] })),
    ...o.domains.map((d) => ({ domains: [d.value] })),
    ...o.platforms.map((p) => ({ platforms: [p.value] })),
    ...o.vendors.flatMap((v) => o.domains.map((d) => ({ vendors: [v.value], domains: [d.value] }))),
    { vendors: o.vendors.slice(0, 2).map((v) => v.value), platforms: o.platforms.slice(0, 2).map((p) => p.value) },
  ];
}

describe('panel model: the page recomputes exactly what overview() computes, under every filter', () => {
  let catalog: Catalog;
  before(async () => {
    catalog = await Catalog.build([path.join(REPO_ROOT, 'examples', 'catalog'), ...['sigma', 'elastic', 'splunk', 'sentinel', 'chronicle', 'panther'].map((v) => fixture(v))]);
  });

  it('matches overview() section by section for each technique with rules and each filter', () => {
    const techniques = techniqueList(catalog.records).filter((t) => t.rules > 0).slice(0, 12);
    assert.ok(techniques.length >= 3, `techniques with rules: ${techniques.length}`);
    let checked = 0;
    for (const t of techniques) {
      const model = buildPanelModel(catalog.records, t.id, catalog.corpus, 3);
      assert.equal(model.rules.length, t.rules, `${t.id}: the quick pick's rule count is the model's`);
      for (const filter of filtersOf(model)) {
        const expected = catalog.overview(t.id, filter);
        const { technique, ...sections } = expected;
        void technique;
        assert.deepEqual(asOverview(model, aggregate(model, filter)), sections, `${t.id} ${JSON.stringify(filter)}`);
        checked++;
      }
    }
    assert.ok(checked > 30, `filter cases checked: ${checked}`);
  });

  it('lists, for each indicator and exclusion, exactly the rules that test it', () => {
    const t = techniqueList(catalog.records).find((e) => e.rules > 1);
    assert.ok(t);
    const model = buildPanelModel(catalog.records, t.id, catalog.corpus, 3);
    const view = aggregate(model);
    for (const row of [...view.indicators, ...view.exclusions]) {
      assert.equal(row.ruleIds.length, row.rules);
      for (const i of row.ruleIds) {
        const rule = model.rules[i]!;
        assert.ok(rule.predicates.some((p) => p.field === row.field && p.op === row.op && p.values.some((v) => v.toLowerCase() === row.value.toLowerCase())), `${rule.title} tests ${row.field} ${row.value}`);
      }
    }
  });

  it('keeps corpus reach whole-catalog when a filter leaves fewer rules', () => {
    const t = techniqueList(catalog.records).find((e) => e.rules > 1)!;
    const model = buildPanelModel(catalog.records, t.id, catalog.corpus, 3);
    const vendor = model.options.vendors[0]!.value;
    for (const row of aggregate(model, { vendors: [vendor] }).indicators) {
      assert.equal(row.reach, catalog.corpus.reachOf(row.field, row.op, row.value));
    }
  });

  it('finds techniques by either ATT&CK version: T1562 lists its v19 equivalent and counts the same rules as overview()', () => {
    const list = techniqueList(catalog.records);
    const t1562 = list.find((t) => t.id === 'T1562');
    assert.ok(t1562);
    assert.ok(t1562.equivalents.some((e) => e.id === 'T1685' && e.name.length > 0), JSON.stringify(t1562.equivalents));
    assert.equal(t1562.rules, catalog.overview('T1562').ruleCount);
    const t1685 = list.find((t) => t.id === 'T1685');
    assert.equal(t1685?.rules, catalog.overview('T1685').ruleCount);
  });
});
