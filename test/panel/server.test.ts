import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { PanelModel } from '../../server/src/panel/model';
import type { TechniqueEntry } from '../../server/src/panel/techniques';
import type { ExclusionEditResult } from '../../server/src/lsp/protocol';
import { REPO_ROOT } from '../helpers/paths';
import { applyTextEdits, LspSession, positionOf, type CodeAction } from '../lsp/harness';

const CATALOG = path.join(REPO_ROOT, 'examples', 'catalog');

/** A rule written for this test, under T1685 (T1562 in ATT&CK v18) and a Sigma process_creation log source. */
const RULE = `title: Defender service stopped from a shell
id: 0b9f0d3c-5a7e-4d7b-9d2c-6b1e2f3a4c5d
status: experimental
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\sc.exe'
        CommandLine|contains: 'stop WinDefend'
    condition: selection
tags:
    - attack.stealth
    - attack.t1685
level: high
`;

describe('panel requests and the tags CodeLens over stdio (example catalog)', () => {
  let session: LspSession;
  const uri = pathToFileURL(path.join(CATALOG, 'panel-test-rule.yml')).href;
  before(async () => {
    session = await LspSession.start({ catalog: { paths: [CATALOG] } });
    await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
    await session.open(uri, RULE);
  });
  after(async () => {
    await session?.stop();
  });

  it('puts a lens on the tags: line with the technique, its rule count and the overview command', async () => {
    const lenses = await session.connection.sendRequest<{ range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1, JSON.stringify(lenses));
    const lens = lenses[0]!;
    assert.equal(lens.range.start.line, positionOf(RULE, 'tags:').line);
    const model = await session.connection.sendRequest<PanelModel>('detectionLens/panelModel', { technique: 'T1685' });
    assert.equal(lens.command.title, `T1685 Disable or Modify Tools · ${model.rules.length} rules · Open overview`);
    assert.equal(lens.command.command, 'detectionLens.openOverview');
    assert.deepEqual(lens.command.arguments, ['T1685']);
  });

  it('lists techniques with rule counts that agree with the panel model', async () => {
    const list = await session.connection.sendRequest<TechniqueEntry[]>('detectionLens/techniqueList');
    const t1562 = list.find((t) => t.id === 'T1562');
    assert.ok(t1562 && t1562.rules > 0);
    assert.deepEqual(t1562.tactics, ['Stealth']);
    const model = await session.connection.sendRequest<PanelModel>('detectionLens/panelModel', { technique: 'T1562' });
    assert.equal(model.rules.length, t1562.rules);
    assert.ok(list.indexOf(t1562) < list.findIndex((t) => t.rules === 0), 'techniques with rules come first');
    assert.equal(await session.connection.sendRequest('detectionLens/panelModel', { technique: 'not a technique' }), null);
  });

  it('"Add to current rule" returns the same edit as the quick fix', async () => {
    const actions = await session.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const fix = actions.find((a: CodeAction) => /Exclude .*svchost/i.test(a.title)) ?? actions[0];
    assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
    const model = await session.connection.sendRequest<PanelModel>('detectionLens/panelModel', { technique: 'T1685' });
    const quickFixText = applyTextEdits(RULE, fix.edit.changes[uri] ?? []);
    // Find the panel's exclusion row the quick fix came from, by its value in the title.
    const row = model.rules.flatMap((r) => r.predicates.filter((p) => p.exclusion).flatMap((p) => p.values.map((v) => ({ field: p.field, op: p.op, value: v }))))
      .find((e) => fix.title.includes(e.value));
    assert.ok(row, `the panel lists the quick fix's exclusion (${fix.title})`);
    const result = await session.connection.sendRequest<ExclusionEditResult>('detectionLens/exclusionEdit', { uri, ...row });
    assert.ok(result.edit, result.error);
    assert.equal(applyTextEdits(RULE, result.edit.changes[uri] ?? []), quickFixText);
    assert.match(quickFixText, /condition: selection and not (1 of )?filter_main_/);
  });

  it('refuses malformed requests and non-Sigma documents with a reason', async () => {
    const bad = await session.connection.sendRequest<ExclusionEditResult>('detectionLens/exclusionEdit', { uri, field: 'Image', op: 'drop table', value: 'x' });
    assert.equal(bad.edit, undefined);
    assert.ok(bad.error);
    const other = pathToFileURL(path.join(CATALOG, 'not-a-rule.yml')).href;
    await session.open(other, 'just: yaml\n');
    const notSigma = await session.connection.sendRequest<ExclusionEditResult>('detectionLens/exclusionEdit', { uri: other, field: 'Image', op: 'eq', value: 'x' });
    assert.match(notSigma.error ?? '', /Sigma/);
  });
});
