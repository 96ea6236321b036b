import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as jsyaml from 'js-yaml';
import type { ConditionNode } from '../../server/src/sigma/condition/ast';
import { parseCondition } from '../../server/src/sigma/condition/parser';
import { addExclusionEdits, applyEdits, type ExclusionSpec, type TextEdit } from '../../server/src/sigma/edit/addExclusion';
import { readSigmaRule } from '../../server/src/sigma/rule';
import { corpus, corpusMissing } from '../helpers/paths';

// ---- an evaluator of our own (glob matching by regex), independent of the code under test ----

function matches(pattern: string, name: string): boolean {
  if (pattern === 'them') return !name.startsWith('_');
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.\-]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

function truthOf(node: ConditionNode, on: Set<string>, selections: string[]): boolean {
  switch (node.type) {
    case 'and': return node.children.every((c) => truthOf(c, on, selections));
    case 'or': return node.children.some((c) => truthOf(c, on, selections));
    case 'not': return !truthOf(node.child, on, selections);
    case 'ref': return on.has(node.name);
    case 'of': {
      const hit = selections.filter((s) => matches(node.pattern, s));
      return hit.length > 0 && (node.quantifier === 'all' ? hit.every((s) => on.has(s)) : hit.some((s) => on.has(s)));
    }
  }
}

/** Detection keys and parsed condition items of a rule, read with js-yaml (a second YAML reader). */
function model(text: string): { selections: string[]; conditions: string[]; trees: ConditionNode[]; detection: Record<string, unknown> } {
  const doc = jsyaml.load(text) as { detection: Record<string, unknown> };
  const raw = doc.detection.condition;
  const conditions = (Array.isArray(raw) ? raw : [raw]) as string[];
  const trees = conditions.map((c) => {
    const parsed = parseCondition(c);
    assert.ok(parsed.ok, `condition does not parse: ${c}`);
    return parsed.tree;
  });
  const selections = Object.keys(doc.detection).filter((k) => k !== 'condition' && k !== 'timeframe');
  return { selections, conditions, trees, detection: doc.detection };
}

/** For every truth assignment: new condition == old condition and not the new selection. */
function assertMeansOldAndNot(before: string, after: string, added: string): void {
  const old = model(before);
  const next = model(after);
  assert.deepEqual(new Set(next.selections), new Set([...old.selections, added]));
  assert.ok(next.selections.length <= 12, 'too many selections to enumerate');
  for (let mask = 0; mask < 1 << next.selections.length; mask++) {
    const on = new Set(next.selections.filter((_, i) => (mask >> i) & 1));
    const was = old.trees.some((t) => truthOf(t, on, old.selections));
    const now = next.trees.some((t) => truthOf(t, on, next.selections));
    assert.equal(now, was && !on.has(added), `assignment {${[...on].join(', ')}}: ${next.conditions.join(' | ')}`);
  }
}

/** Adds the exclusion and checks what must hold for every edit: insert-only edits, meaning kept. */
function add(text: string, spec: ExclusionSpec): { out: string; name: string; edits: TextEdit[] } {
  const result = addExclusionEdits(text, spec);
  if ('error' in result) assert.fail(`unexpected error: ${result.error}`);
  for (const edit of result.edits) assert.equal(edit.start, edit.end, 'edits only insert, so every original byte stays');
  const out = applyEdits(text, result.edits);
  assertMeansOldAndNot(text, out, result.selectionName);
  return { out, name: result.selectionName, edits: result.edits };
}

function errorOf(text: string, spec: ExclusionSpec): string {
  const result = addExclusionEdits(text, spec);
  assert.ok('error' in result, `expected an error, got edits ${JSON.stringify(result)}`);
  return result.error;
}

const USER: ExclusionSpec = { field: 'User', op: 'eq', values: ['NT AUTHORITY\\SYSTEM'], nameHint: 'system' };
const OPTIONAL: ExclusionSpec = { ...USER, optional: true, nameHint: 'Vendor Tool!' };

/** A rule with the given extra selections (name → field A value) and condition line(s). */
function ruleWith(condition: string, extra: string[] = []): string {
  const sels = ['selection', ...extra].map((s, i) => `    ${s}:\n        A: '${i}'\n`).join('');
  return `title: t\nlogsource:\n    product: windows\ndetection:\n${sels}    condition: ${condition}\nlevel: high\n`;
}

function conditionOf(text: string): unknown {
  return model(text).detection.condition;
}

describe('addExclusion: condition shapes', () => {
  const shapes: [string, string[], string, ExclusionSpec?][] = [
    ['selection', [], 'selection and not 1 of filter_main_*'],
    ['selection and not 1 of filter_main_*', ['filter_main_a'], 'selection and not 1 of filter_main_*'],
    ['selection and not 1 of filter_main_*', ['filter_main_a'], 'selection and not 1 of filter_main_* and not 1 of filter_optional_*', OPTIONAL],
    ['selection and not filter_main_a', ['filter_main_a', 'filter_main_b'], 'selection and not filter_main_a and not filter_main_system'],
    ['selection and not filter_main_a', ['filter_main_a'], 'selection and not filter_main_a and not 1 of filter_main_*'],
    ['selection and not filter', ['filter'], 'selection and not filter and not 1 of filter_main_*'],
    ['sel1 or sel2', ['sel1', 'sel2'], '(sel1 or sel2) and not 1 of filter_main_*'],
    ['(sel1 or sel2)', ['sel1', 'sel2'], '(sel1 or sel2) and not 1 of filter_main_*'],
    ['(sel1) or (sel2)', ['sel1', 'sel2'], '((sel1) or (sel2)) and not 1 of filter_main_*'],
    ['sel1 and sel2 or selection', ['sel1', 'sel2'], '(sel1 and sel2 or selection) and not 1 of filter_main_*'],
    ['1 of selection*', ['selection_b'], '1 of selection* and not 1 of filter_main_*'],
    ['all of selection*', ['selection_b'], 'all of selection* and not 1 of filter_main_*'],
    ['not selection', [], 'not selection and not 1 of filter_main_*'],
    ['(selection or sel2) and not (filter_a or filter_b)', ['sel2', 'filter_a', 'filter_b'], '(selection or sel2) and not (filter_a or filter_b) and not 1 of filter_main_*'],
    ['selection AND NOT 1 of filter*', ['filter_x'], 'selection AND NOT 1 of filter*'],
    ['1 of them', ['sel2'], '1 of them and not 1 of filter_main_*'],
    ['selection and not 1 of filter_optional_*', ['filter_optional_a'], 'selection and not 1 of filter_optional_* and not 1 of filter_main_*'],
    ['selection or not filter_main_a', ['filter_main_a'], '(selection or not filter_main_a) and not filter_main_system'],
    ['selection and (sel2 or not 1 of filter_main_*)', ['sel2', 'filter_main_a'], 'selection and (sel2 or not 1 of filter_main_*) and not filter_main_system'],
  ];
  for (const [condition, extra, expected, spec] of shapes) {
    it(`${condition}  →  ${expected}`, () => {
      const { out } = add(ruleWith(condition, extra), spec ?? USER);
      assert.equal(conditionOf(out), expected);
    });
  }

  it('a block literal condition keeps its lines; brackets go around the content', () => {
    const text = ruleWith('|\n        sel1 or\n        sel2\n', ['sel1', 'sel2']);
    const { out } = add(text, USER);
    assert.ok(out.includes('    condition: |\n        (sel1 or\n        sel2) and not 1 of filter_main_*\n'), out);
  });
  it('a folded condition (>-) and a multi-line plain condition', () => {
    const folded = add(ruleWith('>-\n        selection and\n        not filter\n', ['filter']), USER).out;
    assert.ok(folded.includes('        selection and\n        not filter and not 1 of filter_main_*\n'), folded);
    const plain = add(ruleWith('selection or\n        sel2', ['sel2']), USER).out;
    assert.ok(plain.includes('condition: (selection or\n        sel2) and not 1 of filter_main_*\n'), plain);
  });
  it('quoted conditions stay quoted', () => {
    assert.ok(add(ruleWith("'sel1 or sel2'", ['sel1', 'sel2']), USER).out.includes("condition: '(sel1 or sel2) and not 1 of filter_main_*'\n"));
    assert.ok(add(ruleWith('"selection"  # why', []), USER).out.includes('condition: "selection and not 1 of filter_main_*"  # why\n'));
  });
  it('a condition list gets the exclusion on each item (items are ORed), skipping items that have it', () => {
    const text = ruleWith('\n        - selection\n        - sel2 or sel3\n        - sel3 and not 1 of filter_main_*', ['sel2', 'sel3', 'filter_main_a']);
    const { out } = add(text, USER);
    assert.deepEqual(conditionOf(out), [
      'selection and not filter_main_system', '(sel2 or sel3) and not filter_main_system', 'sel3 and not 1 of filter_main_*',
    ]);
    const flow = add(ruleWith('[selection, sel2]', ['sel2']), USER).out;
    assert.deepEqual(conditionOf(flow), ['selection and not 1 of filter_main_*', 'sel2 and not 1 of filter_main_*']);
  });
  it('all of them: the new selection gets a _ name, which them does not take in', () => {
    const { out, name } = add(ruleWith('all of them', ['sel2']), USER);
    assert.equal(name, '_filter_main_system');
    assert.equal(conditionOf(out), 'all of them and not _filter_main_system');
  });
  it('all of filter*: renamed out of the pattern; all of * cannot be avoided and is an error', () => {
    const { out, name } = add(ruleWith('selection and all of filter*', ['filter_a']), USER);
    assert.equal(name, '_filter_main_system');
    assert.equal(conditionOf(out), 'selection and all of filter* and not _filter_main_system');
    assert.match(errorOf(ruleWith('all of *'), USER), /all of \*/);
  });
  it('a taken or already mentioned name gets a number', () => {
    assert.equal(add(ruleWith('selection and not 1 of filter_main_*', ['filter_main_system']), USER).name, 'filter_main_system_2');
    const { name, out } = add(ruleWith('selection or filter_main_system'), USER);
    assert.equal(name, 'filter_main_system_2');
    assert.equal(conditionOf(out), '(selection or filter_main_system) and not 1 of filter_main_*');
  });
  it('a condition that does not parse, or is missing, is an error and nothing is produced', () => {
    assert.match(errorOf(ruleWith('selection and'), USER), /does not parse/);
    assert.match(errorOf(ruleWith('(selection'), USER), /does not parse/);
    assert.match(errorOf(ruleWith('selection | count() > 5'), USER), /does not parse/);
    assert.match(errorOf('title: t\ndetection:\n    selection:\n        A: 1\n', USER), /no condition/);
    assert.match(errorOf('title: t\ndetection: {selection: {A: 1}, condition: selection}\n', USER), /block-style/);
    assert.match(errorOf('title: t\ndetection:\n  sel: [\n', USER), /not valid YAML/);
  });
});

describe('addExclusion: values and operators', () => {
  const nasty = [
    'a: b', 'x #y', '#start', '*lead', '&anchor', '!tag', '%pct', '@at', '`tick`', 'two\nlines', "it's", '"dq"',
    ' padded ', '', 'null', 'true', '123', '~', '- dash', '? q', '| pipe', '> gt', '{a}', '[b]', 'tab\there',
    'C:\\Windows\\', '\\\\server\\share', 'ünï ☃ 𝄞', 'line\u2028sep', 'cr\r\nlf', 'mid*star?q',
  ];
  it('values with YAML-special content read back exactly (js-yaml) and as the same Sigma values (rule model)', () => {
    for (const op of ['in', 'contains', 'starts_with', 'ends_with'] as const) {
      const values = op === 'in' ? nasty : nasty.filter(Boolean);
      const { out, name } = add(ruleWith('selection'), { field: 'CommandLine', op, values, nameHint: 'x' });
      const rule = readSigmaRule(jsyaml.load(out) as Record<string, unknown>);
      const mine = rule.predicates.filter((p) => p.selection === name);
      assert.equal(mine.length, 1, `${op}: one predicate`);
      assert.deepEqual(mine[0]?.values, values, op);
      assert.equal(mine[0]?.op, op);
      assert.equal(mine[0]?.exclusion, true);
      assert.deepEqual(rule.problems, []);
    }
  });
  it('each value alone is written as a scalar and reads back exactly', () => {
    for (const value of nasty) {
      const { out, name } = add(ruleWith('selection'), { field: 'User', op: 'eq', values: [value], nameHint: 'v' });
      const written = model(out).detection[name] as Record<string, unknown>;
      assert.deepEqual(Object.values(written), [value.replace(/[*?]/g, '\\$&')], JSON.stringify(value));
      const rule = readSigmaRule(jsyaml.load(out) as Record<string, unknown>);
      const mine = rule.predicates.find((p) => p.selection === name);
      assert.deepEqual([mine?.op, mine?.values], ['eq', [value]], JSON.stringify(value));
    }
  });
  it('writes the Sigma modifier for each operator', () => {
    const cases: [ExclusionSpec, string][] = [
      [{ field: 'Image', op: 'eq', values: ['C:\\a.exe'] }, "Image: 'C:\\a.exe'"],
      [{ field: 'Image', op: 'ends_with', values: ['\\a.exe'] }, "Image|endswith: '\\a.exe'"],
      [{ field: 'Image', op: 'starts_with', values: ['C:\\Windows\\'] }, "Image|startswith: 'C:\\Windows\\'"],
      [{ field: 'CommandLine', op: 'contains', values: ['-enc'] }, "CommandLine|contains: '-enc'"],
      [{ field: 'CommandLine', op: 'regex_match', values: ['\\s-e(nc)?\\s'] }, "CommandLine|re: '\\s-e(nc)?\\s'"],
      [{ field: 'DestinationIp', op: 'cidr', values: ['10.0.0.0/8', '192.168.0.0/16'] }, "DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - '192.168.0.0/16'"],
      // The contract writes a backslash before a wildcard doubled, as Sigma does (see pattern.ts).
      [{ field: 'Image', op: 'wildcard', values: ['C:\\Users\\\\*\\AppData\\x?.exe'] }, "Image: 'C:\\Users\\\\*\\AppData\\x?.exe'"],
      [{ field: 'ParentImage', op: 'is_null', values: [] }, 'ParentImage: null'],
      [{ field: 'ParentImage', op: 'is_not_null', values: [] }, 'ParentImage|exists: true'],
      [{ field: 'EventID', op: 'ge', values: ['4624'] }, 'EventID|gte: 4624'],
      [{ field: 'SAM User Account', op: 'eq', values: ['x'] }, "'SAM User Account': 'x'"],
      [{ field: 'null', op: 'contains', values: ['x'] }, "null|contains: 'x'"],
    ];
    for (const [spec, line] of cases) {
      const { out } = add(ruleWith('selection'), spec);
      assert.ok(out.includes(`:\n        ${line}\n    condition:`), `${spec.op}: ${out}`);
      const rule = readSigmaRule(jsyaml.load(out) as Record<string, unknown>);
      const mine = rule.predicates.filter((p) => p.exclusion);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]?.op, spec.values.length > 1 && spec.op === 'eq' ? 'in' : spec.op, line);
      if (spec.values.length) assert.deepEqual(mine[0]?.values, spec.values, line);
    }
  });
  it('refuses what Sigma cannot say', () => {
    assert.match(errorOf(ruleWith('selection'), { field: 'User', op: 'ne', values: ['x'] }), /no Sigma exclusion form/);
    assert.match(errorOf(ruleWith('selection'), { field: 'User', op: 'match', values: ['x'] }), /no Sigma exclusion form/);
    assert.match(errorOf(ruleWith('selection'), { field: 'User', op: 'eq', values: [] }), /at least one value/);
    assert.match(errorOf(ruleWith('selection'), { field: '', op: 'eq', values: ['x'] }), /no field/);
    assert.match(errorOf(ruleWith('selection'), { field: 'A|b', op: 'eq', values: ['x'] }), /modifier/);
    assert.match(errorOf(ruleWith('selection'), { field: 'EventID', op: 'gt', values: ['abc'] }), /number/);
    assert.match(errorOf(ruleWith('selection'), { field: 'Path', op: 'eq', values: ['a\\*b'] }), /backslash before/);
    assert.match(errorOf(ruleWith('selection'), { field: 'Path', op: 'contains', values: ['x', ''] }), /match every event/);
  });
  it('names come from the hint, sanitized, or from the field', () => {
    assert.equal(add(ruleWith('selection'), OPTIONAL).name, 'filter_optional_vendor_tool');
    assert.equal(add(ruleWith('selection'), { field: 'Parent.Image', op: 'eq', values: ['x'] }).name, 'filter_main_parent_image');
    assert.equal(add(ruleWith('selection'), { field: '***', op: 'eq', values: ['x'], nameHint: '!!' }).name, 'filter_main_exclusion');
  });
});

describe('addExclusion: the rest of the file stays as written', () => {
  it('2-space indentation, comments, CRLF and blank lines', () => {
    const text = [
      '# header comment', 'title: t  # trailing', 'detection:', '  selection:', '    Image|endswith:', "      - '\\a.exe'  # why",
      '', '  # the condition', '  condition: selection', "level: 'high'", '',
    ].join('\r\n');
    const { out, name, edits } = add(text, USER);
    assert.equal(edits.length, 2);
    const expected = text.replace('\r\n  # the condition', `\r\n  ${name}:\r\n    User: 'NT AUTHORITY\\SYSTEM'\r\n  # the condition`)
      .replace('condition: selection', 'condition: selection and not 1 of filter_main_*');
    assert.equal(out, expected);
    assert.ok(!/[^\r]\n/.test(out), 'every line end stays CRLF');
  });
  it('4-space indentation with list items at the rule\'s own list offset', () => {
    const text = 'title: t\ndetection:\n    selection:\n        Image:\n        - a\n        - b\n    condition: selection\n';
    const { out } = add(text, { field: 'User', op: 'in', values: ['x', 'y'], nameHint: 'a' });
    assert.equal(out, 'title: t\ndetection:\n    selection:\n        Image:\n        - a\n        - b\n'
      + "    filter_main_a:\n        User:\n        - 'x'\n        - 'y'\n    condition: selection and not 1 of filter_main_*\n");
  });
  it('goes after the last filter when other keys follow it, and at the end when the filter is last', () => {
    const between = 'detection:\n  selection:\n    A: 1\n  filter_x:\n    B: 1\n  condition: selection and not filter_x\n  timeframe: 1h\n';
    const after = 'detection:\n  condition: selection and not filter_x\n  selection:\n    A: 1\n  filter_x:\n    B: 1';
    const a = add(between, USER).out;
    assert.ok(a.includes("  filter_x:\n    B: 1\n  filter_main_system:\n    User: 'NT AUTHORITY\\SYSTEM'\n  condition:"), a);
    const b = add(after, USER).out;
    assert.ok(b.endsWith("  filter_x:\n    B: 1\n  filter_main_system:\n    User: 'NT AUTHORITY\\SYSTEM'"), b);
    const c = add(`${after}\n`, USER).out;
    assert.ok(c.endsWith("    B: 1\n  filter_main_system:\n    User: 'NT AUTHORITY\\SYSTEM'\n"), c);
  });
  it('applyEdits applies in any order and refuses overlaps', () => {
    assert.equal(applyEdits('abcdef', [{ start: 4, end: 5, newText: 'X' }, { start: 1, end: 1, newText: 'Y' }]), 'aYbcdXf');
    assert.throws(() => applyEdits('abc', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), RangeError);
  });
});

const SIGMA = corpus('sigma');

function readRule(relative: string): string {
  return readFileSync(path.join(SIGMA, relative), 'utf8');
}

describe('addExclusion: real SigmaHQ rules', { skip: corpusMissing('sigma') }, () => {
  it('msiexec quiet install: main and optional filters, comments inside filters kept', () => {
    const text = readRule('rules/windows/process_creation/proc_creation_win_msiexec_install_quiet.yml');
    const main = add(text, USER);
    assert.equal(main.name, 'filter_main_system');
    assert.equal(conditionOf(main.out), 'all of selection_* and not 1 of filter_main_* and not 1 of filter_optional_*');
    assert.equal(main.edits.length, 1, 'the condition already covers filter_main_*');
    assert.ok(main.out.includes("        Image|endswith: 'C:\\Windows\\System32\\msiexec.exe'\n    filter_main_system:\n        User: 'NT AUTHORITY\\SYSTEM'\n    condition:"));
    const optional = add(text, { field: 'ParentImage', op: 'ends_with', values: ['\\choco.exe'], optional: true, nameHint: 'choco' });
    assert.equal(optional.name, 'filter_optional_choco');
    assert.equal(optional.edits.length, 1);
  });
  it('renamed whoami: `selection and not filter`', () => {
    const text = readRule('rules/windows/process_creation/proc_creation_win_renamed_whoami.yml');
    const { out, name } = add(text, { field: 'ParentImage', op: 'ends_with', values: ['\\svchost.exe'], nameHint: 'svchost' });
    assert.equal(name, 'filter_main_svchost');
    assert.equal(conditionOf(out), 'selection and not filter and not 1 of filter_main_*');
  });
  it('node.js server child: multi-line plain condition whose filter_main_* are used inside brackets only', () => {
    const text = readRule('rules-emerging-threats/2025/Exploits/CVE-2025-55182/proc_creation_win_exploit_cve_2025_55182_susp_nodejs_server_child_process.yml');
    // filter_main_default_shell_flag and filter_main_cli_* only apply to some branches, so
    // `not 1 of filter_main_*` would change the rule: the new main filter is excluded by name.
    const main = add(text, USER);
    assert.ok(main.out.includes('\n        ) and not filter_main_system\nfalsepositives:'), main.out);
    const optional = add(text, { ...USER, optional: true });
    assert.equal(optional.name, 'filter_optional_system');
    assert.ok(optional.out.includes('\n        ) and not 1 of filter_optional_*\nfalsepositives:'), optional.out);
    const rule = readSigmaRule(jsyaml.load(optional.out) as Record<string, unknown>);
    assert.deepEqual(rule.problems, readSigmaRule(jsyaml.load(text) as Record<string, unknown>).problems);
    assert.ok(rule.predicates.some((p) => p.selection === 'filter_optional_system' && p.exclusion && p.values[0] === 'NT AUTHORITY\\SYSTEM'));
  });
  it('every rule in the corpus: the edit succeeds or says why, and never breaks the rule', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name.endsWith('.yml')) files.push(full);
      }
    };
    walk(SIGMA);
    const reasons = new Map<string, number>();
    let ok = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const result = addExclusionEdits(text, USER);
      if ('error' in result) {
        const reason = result.error.replace(/\(.*\)/, '(…)');
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        continue;
      }
      ok++;
      const out = applyEdits(text, result.edits);
      if (model(text).selections.length < 10) assertMeansOldAndNot(text, out, result.selectionName);
      else model(out);
    }
    console.log(`addExclusion over ${files.length} corpus rules: ${ok} edited; refused: ${JSON.stringify([...reasons])}`);
    assert.ok(ok > files.length * 0.9, `${ok} of ${files.length}`);
    for (const reason of reasons.keys()) assert.doesNotMatch(reason, /internal error|could not add/, reason);
  });
});
