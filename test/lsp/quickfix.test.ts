import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as jsyaml from 'js-yaml';
import { readSigmaRule } from '../../server/src/sigma/rule';
import { evaluateCondition } from '../../server/src/sigma/conditionEval';
import { corpus, corpusMissing } from '../helpers/paths';
import { applyTextEdits, LspSession, positionOf } from './harness';

const skip = corpusMissing('sigma');

const SHAPES: [string, string[]][] = [
  ['selection', ['selection']],
  ['selection and not 1 of filter_main_*', ['selection', 'filter_main_a']],
  ['selection and not 1 of filter_optional_*', ['selection', 'filter_optional_a']],
  ['(selection_a and selection_b) and not filter_main_a', ['selection_a', 'selection_b', 'filter_main_a', 'filter_main_b']],
  ['1 of selection_*', ['selection_a', 'selection_b']],
  ['all of selection_*', ['selection_a', 'selection_b']],
  ['selection_a or selection_b or selection_c', ['selection_a', 'selection_b', 'selection_c']],
  ['selection_a or (selection_b and not filter_main_a)', ['selection_a', 'selection_b', 'filter_main_a']],
  ['not selection_a and selection_b', ['selection_a', 'selection_b']],
];

function ruleText(condition: string, selections: string[]): string {
  const body = selections.map((s, i) => `    ${s}:  # keep this comment\n        CommandLine|contains: 'value${i}'\n`).join('');
  return `title: Quick fix shape\nid: 22222222-3333-4444-8555-666666666666\nstatus: test\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n${body}    condition: ${condition}\ntags:\n    - attack.t1685\nlevel: medium\n`;
}

function assignments(names: string[]): Map<string, boolean>[] {
  return Array.from({ length: 2 ** names.length }, (_, bits) => new Map(names.map((n, i) => [n, ((bits >> i) & 1) === 1])));
}

describe('exclusion quick fixes over stdio', { skip }, () => {
  let dir: string;
  let session: LspSession;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-fix-'));
    cpSync(path.join(corpus('sigma'), 'rules/windows/process_creation'), path.join(dir, 'process_creation'), { recursive: true });
    session = await LspSession.start({ catalog: { paths: [dir] } });
    await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
  });
  after(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [condition, selections] of SHAPES) {
    it(`keeps the meaning (old) and not (filter) for: ${condition}`, async () => {
      const text = ruleText(condition, selections);
      const uri = pathToFileURL(path.join(dir, `shape-${SHAPES.findIndex((s) => s[0] === condition)}.yml`)).href;
      await session.open(uri, text);
      const at = positionOf(text, 'condition:');
      const actions = await session.codeActions(uri, { start: at, end: at });
      assert.ok(actions.length > 0, 'exclusions under T1685 are offered');
      assert.match(actions[0]?.title ?? '', /^Exclude .+ — excluded by \d+ rules? under T1685$/);
      for (const action of actions) {
        const edited = applyTextEdits(text, action.edit?.changes[uri] ?? []);
        assert.equal((edited.match(/# keep this comment/g) ?? []).length, selections.length, 'comments are kept');
        const rule = readSigmaRule(jsyaml.load(edited) as Record<string, unknown>);
        assert.ok(rule.condition?.ok, `${action.title}: ${rule.conditionText}`);
        assert.deepEqual(rule.problems, []);
        const added = rule.selections.map((s) => s.name).filter((n) => !selections.includes(n));
        assert.equal(added.length, 1, 'one filter selection added');
        const filter = added[0] as string;
        assert.match(filter, /^filter_(main|optional)_/);
        assert.ok(rule.predicates.some((p) => p.exclusion), 'the filter is an exclusion of the rule');
        const oldTree = readSigmaRule(jsyaml.load(text) as Record<string, unknown>).condition;
        assert.ok(oldTree?.ok && rule.condition?.ok);
        const all = [...selections, filter];
        for (const truth of assignments(all)) {
          const is = (s: string) => truth.get(s) ?? false;
          const expected: boolean = evaluateCondition(oldTree.tree, is, selections) && !is(filter);
          assert.equal(evaluateCondition(rule.condition.tree, is, all), expected, `${rule.conditionText} with ${JSON.stringify([...truth])}`);
        }
      }
    });
  }
});

describe('exclusion quick fixes with codeAction/resolve (as VS Code asks for them)', { skip }, () => {
  let dir: string;
  let eager: LspSession;
  let lazy: LspSession;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-fix-resolve-'));
    cpSync(path.join(corpus('sigma'), 'rules/windows/process_creation'), path.join(dir, 'process_creation'), { recursive: true });
    eager = await LspSession.start({ catalog: { paths: [dir] } });
    lazy = await LspSession.start({ catalog: { paths: [dir] } }, [], undefined, { codeAction: { resolveSupport: { properties: ['edit'] } } });
    await Promise.all([eager, lazy].map((s) => s.waitForStatus((st) => st.state === 'ready' && st.rules > 0)));
  });
  after(async () => {
    await eager?.stop();
    await lazy?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the same exclusions without edits, and each resolves to the edit the eager list carries', async () => {
    const text = ruleText('selection and not 1 of filter_main_*', ['selection', 'filter_main_a']);
    const uri = pathToFileURL(path.join(dir, 'resolve.yml')).href;
    const at = positionOf(text, 'condition:');
    for (const session of [eager, lazy]) await session.open(uri, text);
    const listed = await lazy.codeActions(uri, { start: at, end: at });
    const expected = await eager.codeActions(uri, { start: at, end: at });
    assert.ok(listed.length > 0);
    assert.deepEqual(listed.map((a) => a.title), expected.map((a) => a.title));
    assert.ok(listed.every((a) => a.edit === undefined && a.data !== undefined), 'no edit is made until one is picked');
    for (const [i, action] of listed.entries()) {
      const resolved = await lazy.connection.sendRequest<typeof action>('codeAction/resolve', action);
      assert.deepEqual(resolved.edit, expected[i]?.edit, action.title);
    }
  });

  it('an action for a document that is no longer open resolves to itself, without an edit', async () => {
    const action = { title: 'Exclude x', kind: 'quickfix', data: { uri: 'file:///nowhere/closed.yml', exclusion: { technique: 'T1685', sigmaField: 'Image', field: 'Image', op: 'ends_with', value: '\\x.exe', rules: 1 } } };
    const resolved = await lazy.connection.sendRequest<{ edit?: unknown; title: string }>('codeAction/resolve', action);
    assert.equal(resolved.title, 'Exclude x');
    assert.equal(resolved.edit, undefined);
  });
});
