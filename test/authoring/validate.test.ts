import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { buildSigmaKnowledge } from '../../server/src/analysis/validate/knowledge';
import type { RuleRecord } from '../../server/src/catalog/record';
import { parseSigmaDocument } from '../../server/src/sigma/document';
import { applyFix, edit, findings, spanText, VALID_RULE, withCode } from './helpers';

describe('validation: metadata by the specification', () => {
  it('finds nothing wrong in a valid rule', () => {
    assert.deepEqual(findings(VALID_RULE).map((f) => `${f.code}: ${f.message}`), []);
  });

  it('requires an id that is a UUID, and checks related ids and types', () => {
    const text = edit(VALID_RULE, 'id: 929a690e-bef0-4204-a928-ef5e620d6fcc', 'id: rule-1\nrelated:\n    - id: 12\n      type: derivd');
    const errors = withCode(text, 'invalid-id');
    assert.equal(errors.length, 1);
    assert.equal(spanText(text, errors[0]!), 'rule-1');
    const related = withCode(text, 'invalid-related').map((f) => spanText(text, f));
    assert.deepEqual(related, ['12', 'derivd']);
  });

  it('checks status and level enums, with a fix to the closest value', () => {
    const text = edit(edit(VALID_RULE, 'status: test', 'status: experimentl'), 'level: high', 'level: severe');
    const status = withCode(text, 'invalid-status')[0];
    assert.equal(status?.severity, 'error');
    assert.equal(spanText(text, status!), 'experimentl');
    assert.match(applyFix(text, status!.fixes![0]!), /^status: experimental$/m);
    const level = withCode(text, 'invalid-level')[0];
    assert.match(level?.message ?? '', /informational, low, medium, high, critical; found 'severe'/);
  });

  it('checks dates: format and real calendar days; modified before date is a warning', () => {
    const text = edit(edit(VALID_RULE, 'date: 2024-01-02', 'date: 2024/01/02'), 'modified: 2024-03-04', 'modified: 2023-02-30');
    assert.deepEqual(withCode(text, 'invalid-date').map((f) => spanText(text, f)), ['2024/01/02', '2023-02-30']);
    const early = edit(VALID_RULE, 'modified: 2024-03-04', 'modified: 2023-03-04');
    assert.equal(withCode(early, 'modified-before-date')[0]?.severity, 'warning');
  });

  it('reports a missing title and wrong types of lists and strings', () => {
    const text = edit(edit(VALID_RULE, 'title: Whoami Execution\n', 'name: whoami\n'), 'falsepositives:\n    - Admin scripts', 'falsepositives: Admin scripts');
    assert.ok(withCode(text, 'missing-key').some((f) => /title/.test(f.message)));
    assert.ok(withCode(text, 'invalid-type').some((f) => /falsepositives must be a list/.test(f.message)));
  });

  it('warns about upper-case keys and hints at near misses of standard keys, with rename fixes', () => {
    const text = edit(edit(VALID_RULE, 'level: high', 'Level: high'), 'falsepositives:', 'falsepositive:');
    const caseWarning = withCode(text, 'key-case')[0];
    assert.equal(caseWarning?.severity, 'warning');
    assert.match(applyFix(text, caseWarning!.fixes![0]!), /^level: high$/m);
    const near = withCode(text, 'custom-key')[0];
    assert.equal(near?.severity, 'hint');
    assert.match(near?.message ?? '', /did you mean 'falsepositives'/);
  });
});

describe('validation: tags and ATT&CK', () => {
  it('rejects tags outside the tag syntax, with a lower-case fix', () => {
    const text = edit(VALID_RULE, '- attack.t1033', '- attack.T1033');
    const f = withCode(text, 'invalid-tag')[0];
    assert.equal(f?.severity, 'error');
    assert.match(applyFix(text, f!.fixes![0]!), /- attack\.t1033$/m);
    assert.equal(withCode(text, 'unknown-tag').length, 0, 'no second finding for the same tag');
  });

  it('replaces a technique revoked in v19 with its successor', () => {
    const text = edit(VALID_RULE, '- attack.t1033', '- attack.t1562.001\n    - attack.defense-impairment');
    const f = withCode(text, 'revoked-technique')[0];
    assert.equal(f?.severity, 'warning');
    assert.equal(spanText(text, f!), 'attack.t1562.001');
    assert.match(f!.message, /replaced in ATT&CK v19 by T1685/);
    const fixed = applyFix(text, f!.fixes![0]!);
    assert.match(fixed, /^ {4}- attack\.t1685$/m);
    assert.deepEqual(withCode(fixed, 'revoked-technique'), []);
  });

  it('offers one fix per successor when v19 split a technique', () => {
    const text = edit(VALID_RULE, '- attack.t1033', '- attack.t1562.004');
    const titles = withCode(text, 'revoked-technique')[0]?.fixes?.map((x) => x.title) ?? [];
    assert.equal(titles.length, 3);
    assert.ok(titles.some((t) => t.includes('attack.t1686.003')));
  });

  it('removes the old tag when its successor is already tagged', () => {
    const text = edit(VALID_RULE, '- attack.t1033', '- attack.t1562.001\n    - attack.t1685\n    - attack.defense-impairment');
    const fixed = applyFix(text, withCode(text, 'revoked-technique')[0]!.fixes![0]!);
    assert.ok(!fixed.includes('t1562'), fixed);
    assert.equal(fixed.match(/attack\.t1685/g)?.length, 1);
  });

  it('adds a missing tactic tag in the list style of the file', () => {
    const text = edit(VALID_RULE, '    - attack.discovery\n', '');
    const f = withCode(text, 'missing-tactic')[0];
    assert.equal(f?.severity, 'warning');
    assert.equal(f?.fixes?.[0]?.title, 'Add tag attack.discovery');
    const fixed = applyFix(text, f!.fixes![0]!);
    assert.match(fixed, /tags:\n {4}- attack\.t1033\n {4}- attack\.discovery\n/);
    assert.deepEqual(withCode(fixed, 'missing-tactic'), []);
    const flow = edit(text, 'tags:\n    - attack.t1033\n', 'tags: [attack.t1033]\n');
    assert.match(applyFix(flow, withCode(flow, 'missing-tactic')[0]!.fixes![0]!), /tags: \[attack\.t1033, attack\.discovery\]/);
  });

  it('accepts the v18 tactic name for a v18 technique and the v19 name for its successor', () => {
    const v18 = edit(VALID_RULE, '- attack.discovery\n    - attack.t1033', '- attack.defense-evasion\n    - attack.t1562.001');
    assert.deepEqual(withCode(v18, 'missing-tactic'), []);
    const v19 = edit(VALID_RULE, '- attack.discovery\n    - attack.t1033', '- attack.defense-impairment\n    - attack.t1685');
    assert.deepEqual(withCode(v19, 'missing-tactic'), []);
  });

  it('warns about unknown techniques and values of closed namespaces, and duplicate tags are errors', () => {
    const text = edit(VALID_RULE, '- attack.t1033', '- attack.t1033\n    - attack.t9999\n    - tlp.purple\n    - attack.t1033');
    assert.equal(withCode(text, 'unknown-technique')[0]?.severity, 'warning');
    assert.match(withCode(text, 'unknown-tag')[0]?.message ?? '', /tlp\.amber/);
    assert.equal(withCode(text, 'duplicate-item')[0]?.severity, 'error');
  });
});

describe('validation: detection', () => {
  it('warns about unused selections, and says why for `_` names under `them`', () => {
    const text = edit(VALID_RULE, '    condition: selection and not 1 of filter_main_*', '    _helper:\n        Foo: bar\n    extra:\n        Bar: baz\n    condition: 1 of them');
    const unused = withCode(text, 'unused-selection');
    assert.deepEqual(unused.map((f) => spanText(text, f)), ['_helper']);
    assert.match(unused[0]!.message, /'them' leaves out selections whose names start with '_'/);
    const notUsed = edit(VALID_RULE, 'selection and not 1 of filter_main_*', 'selection');
    assert.deepEqual(withCode(notUsed, 'unused-selection').map((f) => spanText(notUsed, f)), ['filter_main_system']);
  });

  it('keeps reporting undefined selections and unknown modifiers as errors, with a modifier fix', () => {
    const text = edit(edit(VALID_RULE, 'Image|endswith', 'Image|endswth'), 'not 1 of filter_main_*', 'not filtr');
    assert.equal(withCode(text, 'undefined-selection')[0]?.severity, 'error');
    assert.equal(withCode(text, 'unknown-modifier')[0]?.severity, 'error');
    const suggestion = withCode(text, 'modifier-suggestion')[0];
    assert.equal(spanText(text, suggestion!), 'endswth');
    assert.match(applyFix(text, suggestion!.fixes![0]!), /Image\|endswith:/);
  });

  it('rejects invalid modifier combinations and values the modifiers cannot take', () => {
    const text = edit(VALID_RULE, "        Image|endswith: '\\whoami.exe'", [
      "        Image|endswith|startswith: 'a'",
      "        CommandLine|contains|all: 'x'",
      '        EventID|gt: abc',
      '        SourceIp|cidr: 10.0.0.300/8',
      '        Flag|exists: maybe',
      '        LogonId:',
      "            - '0x3e7'",
      '            - null',
      "            - 'null'",
    ].join('\n'));
    assert.equal(withCode(text, 'invalid-modifiers')[0]?.severity, 'error');
    assert.equal(spanText(text, withCode(text, 'all-single-value')[0]!), 'CommandLine|contains|all');
    assert.deepEqual(withCode(text, 'invalid-value').map((f) => spanText(text, f)), ['abc', '10.0.0.300/8', 'maybe']);
    const nulls = withCode(text, 'null-in-list');
    assert.deepEqual(nulls.map((f) => spanText(text, f)), ['null'], 'only the YAML null, not the quoted string');
  });
});

describe('validation: log sources and fields', () => {
  const record = (n: number, fields: string[], ls = { product: 'windows', category: 'process_creation' }): RuleRecord => ({
    vendor: 'sigma', id: `r${n}`, title: 't', path: `r${n}.yml`, language: 'sigma', techniques: [], platforms: [], events: [], problems: [],
    logsource: ls,
    predicates: fields.map((f) => ({ field: f, sourceField: f, op: 'eq', values: ['x'], all: false, negated: false, exclusion: false })),
  });
  const knowledge = buildSigmaKnowledge([
    record(1, ['Image', 'CommandLine']), record(2, ['Image', 'ParentImage']), record(3, ['Image', 'User']),
    record(4, ['QueryName'], { product: 'windows', category: 'my_custom_source' }),
  ]);

  it('requires lower-case log source values (error) and warns about unknown ones with the closest names', () => {
    const text = edit(edit(VALID_RULE, 'product: windows', 'product: Windows'), 'category: process_creation', 'category: proces_creation');
    const format = withCode(text, 'invalid-logsource')[0];
    assert.equal(format?.severity, 'error');
    assert.match(applyFix(text, format!.fixes![0]!), /product: windows/);
    const unknown = withCode(text, 'unknown-logsource')[0];
    assert.equal(unknown?.severity, 'warning');
    assert.match(unknown?.message ?? '', /did you mean 'process_creation'/);
  });

  it('knows log source values from the catalog as well as from the taxonomy', () => {
    const text = edit(VALID_RULE, 'category: process_creation', 'category: my_custom_source');
    assert.equal(withCode(text, 'unknown-logsource').length, 1);
    assert.equal(withCode(text, 'unknown-logsource', knowledge).length, 0);
  });

  it('hints at fields no catalog rule of the log source uses, with the closest used names', () => {
    const text = edit(VALID_RULE, 'Image|endswith', 'Imagee|endswith');
    const hint = withCode(text, 'unused-field', knowledge).find((f) => spanText(text, f) === 'Imagee');
    assert.equal(hint?.severity, 'hint');
    assert.match(hint!.message, /closest fields used there: Image \(3 rules\)/);
    assert.match(applyFix(text, hint!.fixes![0]!), /^ {8}Image\|endswith:/m);
    assert.equal(withCode(VALID_RULE, 'unused-field', knowledge).filter((f) => spanText(VALID_RULE, f) === 'Image').length, 0);
    assert.equal(withCode(text, 'unused-field').length, 0, 'no field hints without a catalog');
  });

  it('leaves correlation rules to their own specification', () => {
    const correlation = 'title: c\nname: c\ncorrelation:\n    type: event_count\n    rules: [a]\n';
    assert.equal(parseSigmaDocument(correlation).isSigma, true);
    assert.deepEqual(findings(correlation).filter((f) => f.severity === 'error' && f.code !== 'sigma-structure'), []);
  });
});
