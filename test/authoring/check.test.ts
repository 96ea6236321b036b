import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';
import { writeCatalog } from './catalogRules';
import { edit, VALID_RULE } from './helpers';

interface SarifResult { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }

/** `detection-lens check` runs the editor's validation, for CI, with SARIF for code scanning. */
describe('detection-lens check uses the same validation', () => {
  let dir: string;
  let file: string;
  let text: string;
  before(() => {
    dir = writeCatalog();
    file = path.join(dir, 'edited.yml');
    text = edit(edit(VALID_RULE, 'status: test', 'status: tested'), 'Image|endswith', 'Imagee|endswith');
    writeFileSync(file, text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'check', file, ...args], { encoding: 'utf8' });

  it('reports spec errors and catalog hints as SARIF and exits 1', () => {
    const result = run('--catalog', path.join(dir, 'rules'), '--format', 'sarif');
    assert.equal(result.status, 1, result.stderr);
    const sarif = JSON.parse(result.stdout) as { runs: { results: SarifResult[] }[] };
    const results = sarif.runs[0]!.results;
    const status = results.find((r) => r.ruleId === 'invalid-status');
    assert.equal(status?.level, 'error');
    const line = text.split('\n').findIndex((l) => l.startsWith('status:')) + 1;
    const region = status?.locations[0]?.physicalLocation.region;
    assert.equal(region?.startLine, line);
    assert.equal(region?.startColumn, 'status: '.length + 1, 'points at the value');
    const field = results.find((r) => r.ruleId === 'unused-field');
    assert.equal(field?.level, 'note');
    assert.match(field?.message.text ?? '', /closest fields used there: Image \(3 rules\)/);
  });

  it('exits 0 on a valid rule', () => {
    writeFileSync(file, VALID_RULE);
    const result = run('--format', 'json');
    assert.equal(result.status, 0, result.stdout);
    const json = JSON.parse(result.stdout) as { diagnostics: { severity: string }[] }[];
    assert.deepEqual(json[0]?.diagnostics.filter((d) => d.severity === 'error'), []);
    writeFileSync(file, text);
  });
});
