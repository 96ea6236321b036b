import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compact, rule, selectionRule } from './helpers';

const one = (lines: string) => compact(selectionRule(lines));

describe('Sigma modifiers become contract predicates', () => {
  it('plain values: eq for one, in for a list, numbers and booleans as strings', () => {
    assert.deepEqual(one("Image: 'C:\\Windows\\x.exe'"), [['Image', 'eq', ['C:\\Windows\\x.exe'], '']]);
    assert.deepEqual(one('EventID:\n  - 4688\n  - 1'), [['EventID', 'in', ['4688', '1'], '']]);
    assert.deepEqual(one('Enabled: true'), [['Enabled', 'eq', ['true'], '']]);
  });
  it('contains, startswith, endswith keep the value without stars', () => {
    assert.deepEqual(one("CommandLine|contains: ' -enc '"), [['CommandLine', 'contains', [' -enc '], '']]);
    assert.deepEqual(one("Image|startswith: 'C:\\Windows\\'"), [['Image', 'starts_with', ['C:\\Windows\\'], '']]);
    assert.deepEqual(one("Image|endswith: '\\x.exe'"), [['Image', 'ends_with', ['\\x.exe'], '']]);
  });
  it('wildcards in plain values classify like the other vendors, inner ones stay wildcard', () => {
    assert.deepEqual(one("Image: '*\\x.exe'"), [['Image', 'ends_with', ['\\x.exe'], '']]);
    assert.deepEqual(one("Image: '?:\\Windows\\*.exe'"), [['Image', 'wildcard', ['?:\\Windows\\*.exe'], '']]);
    assert.deepEqual(one("Image|contains: 'a*b'"), [['Image', 'wildcard', ['*a*b*'], '']]);
    assert.deepEqual(one("Image: 'a\\*b'"), [['Image', 'eq', ['a*b'], '']]);
  });
  it('a list mixing operators becomes one predicate per operator', () => {
    assert.deepEqual(one("Image:\n  - '*\\a.exe'\n  - 'b.exe'"), [['Image', 'ends_with', ['\\a.exe'], ''], ['Image', 'eq', ['b.exe'], '']]);
  });
  it('all sets all; cased keeps the value', () => {
    assert.deepEqual(one("CommandLine|contains|all:\n  - a\n  - b"), [['CommandLine', 'contains', ['a', 'b'], 'all']]);
    assert.deepEqual(one('CommandLine|contains|cased: Abc'), [['CommandLine', 'contains', ['Abc'], '']]);
  });
  it('exists and null are presence tests', () => {
    assert.deepEqual(one('User|exists: true'), [['User', 'is_not_null', [], '']]);
    assert.deepEqual(one('User|exists: false'), [['User', 'is_null', [], '']]);
    assert.deepEqual(one('User: null'), [['User', 'is_null', [], '']]);
    assert.deepEqual(one("User:\n  - null\n  - ''"), [['User', 'is_null', [], ''], ['User', 'eq', [''], '']]);
  });
  it('neq negates with the positive operator kept', () => {
    assert.deepEqual(one('Status|neq: 0'), [['Status', 'eq', ['0'], 'neg']]);
  });
  it('re with i, m, s flags is regex_match with inline flags', () => {
    assert.deepEqual(one("CommandLine|re: 'a.+b'"), [['CommandLine', 'regex_match', ['a.+b'], '']]);
    assert.deepEqual(one("CommandLine|re|i|m|s: 'a.+b'"), [['CommandLine', 'regex_match', ['(?ims)a.+b'], '']]);
  });
  it('windash keeps the value as written', () => {
    assert.deepEqual(one("CommandLine|windash|contains: ' -enc'"), [['CommandLine', 'contains', [' -enc'], '']]);
  });
  it('base64 and base64offset apply the encoding (values checked with Python base64)', () => {
    assert.deepEqual(one('CommandLine|base64: cmd'), [['CommandLine', 'eq', ['Y21k'], '']]);
    assert.deepEqual(one("CommandLine|base64offset|contains: 'Add-MpPreference '"), [
      ['CommandLine', 'contains', ['QWRkLU1wUHJlZmVyZW5jZS', 'FkZC1NcFByZWZlcmVuY2Ug', 'BZGQtTXBQcmVmZXJlbmNlI'], ''],
    ]);
  });
  it('utf16le/wide/utf16be/utf16 encode before base64', () => {
    assert.deepEqual(one('CommandLine|wide|base64: cmd'), [['CommandLine', 'eq', ['YwBtAGQA'], '']]);
    assert.deepEqual(one('CommandLine|utf16le|base64: cmd'), [['CommandLine', 'eq', ['YwBtAGQA'], '']]);
    assert.deepEqual(one('CommandLine|utf16be|base64: cmd'), [['CommandLine', 'eq', ['AGMAbQBk'], '']]);
    assert.deepEqual(one('CommandLine|utf16|base64: cmd'), [['CommandLine', 'eq', ['//5jAG0AZAA='], '']]);
  });
  it('lt, lte, gt, gte compare; time parts keep the comparison', () => {
    assert.deepEqual(one('Count|lt: 5'), [['Count', 'lt', ['5'], '']]);
    assert.deepEqual(one('Count|lte: 5'), [['Count', 'le', ['5'], '']]);
    assert.deepEqual(one('Count|gt: 5'), [['Count', 'gt', ['5'], '']]);
    assert.deepEqual(one('Count|gte: 5'), [['Count', 'ge', ['5'], '']]);
    assert.deepEqual(one('Time|hour: 3'), [['Time', 'eq', ['3'], '']]);
    for (const part of ['minute', 'day', 'week', 'month', 'year']) {
      assert.deepEqual(selectionRule(`Time|${part}: 3`).problems, [], part);
    }
  });
  it('cidr, expand and fieldref', () => {
    assert.deepEqual(one("DestinationIp|cidr:\n  - 10.0.0.0/8\n  - '::1/128'"), [['DestinationIp', 'cidr', ['10.0.0.0/8', '::1/128'], '']]);
    assert.deepEqual(one("User|expand: '%admins%'"), [['User', 'eq', ['%admins%'], '']]);
    assert.deepEqual(one('SubjectUserName|fieldref: TargetUserName'), [['SubjectUserName', 'eq', ['TargetUserName'], '']]);
  });
  it('unknown modifiers and invalid combinations are problems with the key', () => {
    const r = selectionRule("Image|endswithh: 'x'\nCommandLine|contains|startswith: y\nUser|i: z");
    assert.deepEqual(r.problems.map((p) => p.message), [
      "unknown modifier 'endswithh' in 'Image|endswithh'",
      'modifiers contains and startswith cannot be combined',
      'regular expression flag i needs the re modifier',
    ]);
    assert.ok(r.problems.every((p) => p.selection === 'selection'));
  });
  it('keyword lists are match on keywords', () => {
    const r = rule("title: t\nlogsource: {product: linux}\ndetection:\n  keywords:\n    - 'Trojan*FOUND'\n    - error\n  condition: keywords\n");
    assert.deepEqual(compact(r), [['keywords', 'match', ['Trojan*FOUND', 'error'], '']]);
  });
});
