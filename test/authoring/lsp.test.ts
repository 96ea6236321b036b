import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { applyTextEdits, LspSession, positionOf, type CodeAction, type Range, type TextEditJson } from '../lsp/harness';
import { writeCatalog } from './catalogRules';

interface Item { label: string; sortText?: string; detail?: string; tags?: number[]; textEdit?: TextEditJson; filterText?: string }
interface List { isIncomplete: boolean; items: Item[] }
interface Location { uri: string; range: Range }
interface Symbol { name: string; kind: number; children?: Symbol[] }

const RULE = `title: Suspicious discovery
id: 11111111-2222-4333-8444-555555555555
status: test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    filter_main_system:
        User|contains: 'AUTHORI'
    filter_main_local:
        User|contains: 'LOCAL'
    condition: selection and not 1 of filter_main_*
level: high
tags:
    - attack.discovery
    - attack.t1033
`;

function sorted(list: List | null): Item[] {
  return [...(list?.items ?? [])].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

describe('authoring features over stdio', () => {
  let dir: string;
  let session: LspSession;
  let n = 0;
  const uriOf = () => pathToFileURL(path.join(dir, `edited-${++n}.yml`)).href;
  /** Opens `text` and asks for completion at the end of `needle`. */
  const complete = async (text: string, needle: string): Promise<List> => {
    const uri = uriOf();
    await session.open(uri, text);
    return session.requestAt<List>('textDocument/completion', uri, text, needle, needle.length);
  };

  before(async () => {
    dir = writeCatalog();
    session = await LspSession.start({ catalog: { paths: [path.join(dir, 'rules')] } });
    await session.waitForStatus((s) => s.state === 'ready' && s.rules === 4);
  });
  after(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes top-level keys not yet written, in the SigmaHQ order, with a fresh UUID for id', async () => {
    const text = 'title: x\n\nlogsource:\n    product: windows\ndetection:\n    condition: selection\n';
    const list = await complete(text, 'title: x\n');
    const labels = sorted(list).map((i) => i.label);
    assert.deepEqual(labels.slice(0, 4), ['id', 'name', 'related', 'taxonomy']);
    assert.ok(!labels.includes('title') && !labels.includes('logsource'));
    assert.ok(labels.indexOf('status') < labels.indexOf('tags') && labels.indexOf('tags') < labels.indexOf('level'), 'SigmaHQ order: tags before logsource');
    const id = list.items.find((i) => i.label === 'id')?.textEdit?.newText ?? '';
    assert.match(id, /^id: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('completes status and level values', async () => {
    const text = RULE.replace('status: test', 'status: ');
    const labels = (await complete(text, 'status: ')).items.map((i) => i.label);
    assert.deepEqual(labels, ['stable', 'test', 'experimental', 'deprecated', 'unsupported']);
  });

  it('completes log source values from the catalog (ranked) and the taxonomy', async () => {
    const text = RULE.replace('    product: windows\n', '    product: \n');
    const items = sorted(await complete(text, '    product: '));
    assert.equal(items[0]?.label, 'windows', 'the catalog has 3 windows process_creation rules and 1 linux');
    assert.equal(items[0]?.detail, '3 catalog rules');
    assert.equal(items[1]?.label, 'linux');
    assert.ok(items.some((i) => i.label === 'aws' && i.detail === 'Sigma taxonomy'));
  });

  it('completes field names of the rule\'s log source, ranked by catalog use', async () => {
    const text = RULE.replace("        Image|endswith: '\\whoami.exe'\n", "        Image|endswith: '\\whoami.exe'\n        \n");
    const list = await complete(text, "'\\whoami.exe'\n        ");
    const items = sorted(list);
    assert.deepEqual(items.map((i) => i.label), ['Image', 'CommandLine', 'ParentImage']);
    assert.equal(items[0]?.detail, '3 of 3 catalog rules for this log source');
  });

  it('completes modifiers after |, leaving out those that cannot be combined', async () => {
    const text = RULE.replace("Image|endswith: '\\whoami.exe'", 'Image|contains|');
    const list = await complete(text, 'Image|contains|');
    const labels = list.items.map((i) => i.label);
    assert.ok(labels.includes('all') && labels.includes('windash'));
    assert.ok(!labels.includes('endswith') && !labels.includes('contains') && !labels.includes('re'));
    const edit = list.items[0]?.textEdit;
    assert.equal(edit?.range.start.character, positionOf(text, 'Image|contains|', 'Image|contains|'.length).character, 'replaces only the modifier');
  });

  it('completes common values of a field from the catalog', async () => {
    const text = RULE.replace("Image|endswith: '\\whoami.exe'", 'Image|endswith: ');
    const items = sorted(await complete(text, 'Image|endswith: '));
    assert.equal(items[0]?.label, '\\whoami.exe');
    assert.equal(items[0]?.textEdit?.newText, "'\\whoami.exe'");
    assert.equal(items[0]?.detail, '2 catalog rules (ends_with)');
    assert.ok(items.some((i) => i.label === '\\net.exe'));
    assert.ok(!items.some((i) => i.label === '/id'), 'the linux rule is another log source');
  });

  it('completes ATT&CK tags by id, current ids before those replaced in v19', async () => {
    const text = RULE.replace('    - attack.t1033\n', '    - attack.t156\n');
    const items = sorted(await complete(text, '- attack.t156'));
    const old = items.find((i) => i.label === 'attack.t1562.001');
    const current = items.find((i) => i.label === 'attack.t1685');
    assert.ok(old && current);
    assert.deepEqual(old.tags, [1], 'deprecated');
    assert.ok(items.indexOf(current) < items.indexOf(old));
  });

  it('completes ATT&CK tags by technique name', async () => {
    const text = RULE.replace('    - attack.t1033\n', '    - attack.disable or modify tools\n');
    const list = await complete(text, '- attack.disable or modify tools');
    assert.equal(list.isIncomplete, true);
    const items = sorted(list);
    assert.equal(items[0]?.label, 'attack.t1685');
    assert.equal(items[0]?.detail, 'Disable or Modify Tools');
    assert.ok(items.some((i) => i.label === 'attack.t1562.001'));
  });

  it('completes selection names and patterns inside the condition', async () => {
    const text = RULE.replace('condition: selection and not 1 of filter_main_*', 'condition: selection and not 1 of fil');
    const list = await complete(text, 'not 1 of fil');
    const labels = sorted(list).map((i) => i.label);
    assert.deepEqual(labels.slice(0, 4), ['selection', 'filter_main_system', 'filter_main_local', 'filter_*']);
    assert.equal(list.items[0]?.textEdit?.range.start.character, positionOf(text, 'not 1 of fil', 'not 1 of '.length).character);
  });

  it('publishes validation diagnostics and quick fixes for a revoked tag and a missing tactic', async () => {
    const text = RULE.replace('status: test', 'status: tested').replace('    - attack.discovery\n    - attack.t1033\n', '    - attack.t1562.001\n');
    const uri = uriOf();
    const version = await session.open(uri, text);
    const diagnostics = await session.waitForDiagnostics(uri, version);
    const status = diagnostics.find((d) => d.code === 'invalid-status');
    assert.equal(status?.severity, 1);
    const revoked = diagnostics.find((d) => d.code === 'revoked-technique');
    assert.equal(revoked?.severity, 2);
    const actions = await session.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: revoked!.range, context: { diagnostics: [revoked] } });
    const replace = actions.find((a) => a.title.startsWith('Replace with attack.t1685'));
    assert.ok(replace, actions.map((a) => a.title).join('; '));
    assert.match(applyTextEdits(text, replace.edit!.changes[uri]!), /^ {4}- attack\.t1685$/m);
    const addTactic = actions.find((a) => a.title === 'Add tag attack.stealth');
    assert.ok(addTactic, actions.map((a) => a.title).join('; '));
    assert.match(applyTextEdits(text, addTactic.edit!.changes[uri]!), /- attack\.t1562\.001\n {4}- attack\.stealth\n/);
  });

  it('goes to the selections a condition name or pattern stands for', async () => {
    const uri = uriOf();
    await session.open(uri, RULE);
    const toPattern = await session.requestAt<Location[]>('textDocument/definition', uri, RULE, 'filter_main_*', 3);
    assert.deepEqual(toPattern.map((l) => l.range.start), [positionOf(RULE, 'filter_main_system:'), positionOf(RULE, 'filter_main_local:')]);
    const toName = await session.requestAt<Location[]>('textDocument/definition', uri, RULE, 'condition: selection', 'condition: '.length + 2);
    assert.deepEqual(toName.map((l) => l.range.start), [positionOf(RULE, 'selection:')]);
  });

  it('finds references of a selection: its key and every use in the condition, by name or pattern', async () => {
    const uri = uriOf();
    await session.open(uri, RULE);
    const refs = await session.requestAt<Location[]>('textDocument/references', uri, RULE, 'filter_main_local:', 2, { context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((l) => l.range.start), [positionOf(RULE, 'filter_main_local:'), positionOf(RULE, 'filter_main_*')]);
  });

  it('renames a selection in detection and in the condition, and refuses a rename that changes the meaning', async () => {
    const uri = uriOf();
    await session.open(uri, RULE);
    const edit = await session.requestAt<{ changes: Record<string, TextEditJson[]> }>('textDocument/rename', uri, RULE, 'condition: selection', 'condition: '.length + 1, { newName: 'selection_img' });
    const renamed = applyTextEdits(RULE, edit.changes[uri]!);
    assert.match(renamed, /^ {4}selection_img:$/m);
    assert.match(renamed, /condition: selection_img and not 1 of filter_main_\*/);
    await assert.rejects(
      session.requestAt('textDocument/rename', uri, RULE, 'filter_main_local:', 2, { newName: 'local_filter' }),
      /'filter_main_\*' in the condition matches 'filter_main_local' but would not match 'local_filter'/,
    );
    await assert.rejects(session.requestAt('textDocument/rename', uri, RULE, 'selection:', 2, { newName: 'filter_main_x' }), /would then match 'filter_main_x' too/);
  });

  it('gives an outline: top-level keys, logsource parts, selections with their fields', async () => {
    const uri = uriOf();
    await session.open(uri, RULE);
    const symbols = await session.requestDocument<Symbol[]>('textDocument/documentSymbol', uri);
    assert.deepEqual(symbols.map((s) => s.name), ['title', 'id', 'status', 'logsource', 'detection', 'level', 'tags']);
    const detection = symbols.find((s) => s.name === 'detection');
    assert.deepEqual(detection?.children?.map((s) => s.name), ['selection', 'filter_main_system', 'filter_main_local', 'condition']);
    assert.deepEqual(detection?.children?.[0]?.children?.map((s) => s.name), ['Image|endswith']);
    assert.deepEqual(symbols.find((s) => s.name === 'logsource')?.children?.map((s) => s.name), ['category', 'product']);
  });

  it('folds the blocks of the rule', async () => {
    const uri = uriOf();
    await session.open(uri, RULE);
    const ranges = await session.requestDocument<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', uri);
    const lineOf = (needle: string) => positionOf(RULE, needle).line;
    const has = (from: string, to: string) => ranges.some((r) => r.startLine === lineOf(from) && r.endLine === lineOf(to));
    assert.ok(has('logsource:', 'product: windows'), JSON.stringify(ranges));
    assert.ok(has('detection:', 'condition:'));
    assert.ok(has('filter_main_system:', "'AUTHORI'"));
    assert.ok(has('tags:', '- attack.t1033'));
  });
});
