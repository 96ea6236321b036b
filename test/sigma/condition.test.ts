import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ConditionNode } from '../../server/src/sigma/condition/ast';
import { parseCondition } from '../../server/src/sigma/condition/parser';
import { compact, rule } from './helpers';

/** Renders a tree back to a fully bracketed string, so precedence shows in the assertion. */
function show(node: ConditionNode): string {
  switch (node.type) {
    case 'and':
    case 'or':
      return `(${node.children.map(show).join(` ${node.type} `)})`;
    case 'not':
      return `not ${show(node.child)}`;
    case 'ref':
      return node.name;
    case 'of':
      return `${node.quantifier} of ${node.pattern}`;
  }
}

function parsed(text: string): string {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(result.error.message);
  return show(result.tree);
}

describe('condition grammar', () => {
  it('binds not tighter than and, and tighter than or', () => {
    assert.equal(parsed('a or b and not c'), '(a or (b and not c))');
    assert.equal(parsed('not a and b'), '(not a and b)');
    assert.equal(parsed('a and b or c and d'), '((a and b) or (c and d))');
  });
  it('brackets override precedence and may nest', () => {
    assert.equal(parsed('(a or b) and not (c or (d and e))'), '((a or b) and not (c or (d and e)))');
  });
  it('quantified selections: 1 of, all of, any of, them', () => {
    assert.equal(parsed('1 of selection_* and not all of filter_*'), '(any of selection_* and not all of filter_*)');
    assert.equal(parsed('all of them'), 'all of them');
    assert.equal(parsed('any of sel*'), 'any of sel*');
  });
  it('keywords are case-insensitive', () => {
    assert.equal(parsed('a AND NOT b OR c'), '((a and not b) or c)');
  });
  it('reports errors with their position', () => {
    const missing = parseCondition('(a and b');
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.error.message, /missing '\)'/);
    const dangling = parseCondition('a and');
    assert.equal(dangling.ok, false);
    const bad = parseCondition('a && b');
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.error.start, 2);
    const two = parseCondition('2 of sel*');
    assert.equal(two.ok, false);
    const agg = parseCondition('selection | count() > 5');
    assert.equal(agg.ok, false);
    if (!agg.ok) assert.match(agg.error.message, /correlation/);
  });
  it('survives hostile nesting without a stack overflow', () => {
    const deep = `${'('.repeat(5000)}a${')'.repeat(5000)}`;
    const result = parseCondition(deep);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error.message, /too deeply/);
  });
});

const RULE = (condition: string) => `title: t
logsource: {product: windows, category: process_creation}
detection:
  selection_img:
    Image|endswith: '\\a.exe'
  selection_cli:
    CommandLine|contains: x
  filter_main_sys:
    User: SYSTEM
  filter_optional_av:
    ParentImage|endswith: '\\av.exe'
  _helper:
    Foo: bar
  condition: ${condition}
`;

describe('condition → exclusions and negation', () => {
  it('marks NOT children of the top-level AND as exclusions, negated', () => {
    assert.deepEqual(compact(rule(RULE('all of selection_* and not 1 of filter_*'))), [
      ['Image', 'ends_with', ['\\a.exe'], ''],
      ['CommandLine', 'contains', ['x'], ''],
      ['User', 'eq', ['SYSTEM'], 'neg,excl'],
      ['ParentImage', 'ends_with', ['\\av.exe'], 'neg,excl'],
    ]);
  });
  it('a NOT below the top level is negated but not an exclusion', () => {
    assert.deepEqual(compact(rule(RULE('selection_img or (selection_cli and not filter_main_sys)'))), [
      ['Image', 'ends_with', ['\\a.exe'], ''],
      ['CommandLine', 'contains', ['x'], ''],
      ['User', 'eq', ['SYSTEM'], 'neg'],
    ]);
  });
  it('double negation cancels', () => {
    assert.deepEqual(compact(rule(RULE('selection_img and not (filter_main_sys and not filter_optional_av)'))), [
      ['Image', 'ends_with', ['\\a.exe'], ''],
      ['User', 'eq', ['SYSTEM'], 'neg,excl'],
      ['ParentImage', 'ends_with', ['\\av.exe'], 'neg,excl'],
    ]);
  });
  it('them skips selections whose names start with _', () => {
    const r = rule(RULE('1 of them'));
    assert.deepEqual(r.predicates.map((p) => p.selection), ['selection_img', 'selection_cli', 'filter_main_sys', 'filter_optional_av']);
  });
  it('an undefined selection is a problem at its place in the condition', () => {
    const r = rule(RULE('selection_img and not filter_typo'));
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]?.message, "condition refers to 'filter_typo', which no selection defines");
    assert.deepEqual(r.problems[0]?.conditionRange, { start: 22, end: 33 });
    assert.deepEqual(compact(r), [['Image', 'ends_with', ['\\a.exe'], '']]);
  });
  it('a list of conditions is ORed', () => {
    const r = rule(RULE('\n    - selection_img\n    - selection_cli'));
    assert.equal(r.conditionText, '(selection_img) or (selection_cli)');
    assert.equal(r.predicates.length, 2);
  });
});

describe('document kinds', () => {
  it('correlation rules and filters are recognized, not failures', () => {
    const corr = rule('title: c\ncorrelation:\n  type: event_count\n  rules: [a]\n  group-by: [User]\n  timespan: 1h\n  condition: {gte: 10}\n');
    assert.equal(corr.kind, 'correlation');
    assert.deepEqual(corr.problems, []);
    const filter = rule('title: f\nlogsource: {product: windows}\nfilter:\n  rules: [abc]\n  selection:\n    User: svc\n  condition: not selection\n');
    assert.equal(filter.kind, 'filter');
    assert.deepEqual(compact(filter), [['User', 'eq', ['svc'], 'neg,excl']]);
  });
});
