import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fg from 'fast-glob';
import { indexPaths } from '../../server/src/catalog/indexer';
import { REPO_ROOT } from '../helpers/paths';

/**
 * Restricted Mode: the extension indexes the workspace's rules but downloads and runs nothing. These
 * pin the invariants that make that true; the command's behaviour in a real editor is the e2e suite's.
 */
describe('untrusted workspaces', () => {
  const read = (rel: string) => readFileSync(path.join(REPO_ROOT, rel), 'utf8');

  it('the manifest declares limited support with a description', () => {
    const manifest = JSON.parse(read('package.json')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } } };
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(String(untrusted?.description), /Restricted Mode/);
  });

  it('only the download code starts processes, and every client path into it checks workspace trust first', () => {
    const sources = fg.sync(['server/src/**/*.ts', 'client/src/**/*.ts'], { cwd: REPO_ROOT });
    const spawning = sources.filter((f) => /from 'node:child_process'|require\(['"](node:)?child_process/.test(read(f)));
    assert.deepEqual(spawning, ['server/src/sources/git.ts']);
    const callers = sources.filter((f) => f.startsWith('client/') && /server\/src\/sources\/(git|sync)'/.test(read(f)));
    assert.ok(callers.length > 0);
    for (const file of callers) {
      const text = read(file);
      const gate = text.indexOf('!vscode.workspace.isTrusted');
      assert.ok(gate >= 0, `${file} never checks vscode.workspace.isTrusted`);
      assert.ok(gate < text.indexOf('syncSources('), `${file} syncs before checking trust`);
    }
  });

  it('the language server bundle (what runs in Restricted Mode) holds no git or download code', (t) => {
    const bundle = path.join(REPO_ROOT, 'dist', 'server.js');
    if (!existsSync(bundle)) return t.skip('dist/server.js not built (npm test builds it)');
    assert.ok(!readFileSync(bundle, 'utf8').includes('GIT_TERMINAL_PROMPT'));
  });

  it('rule files are read, never run: a Panther rule whose Python would write a file indexes and writes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dl-untrusted-'));
    const marker = path.join(dir, 'pwned');
    try {
      writeFileSync(path.join(dir, 'rule.yml'), 'AnalysisType: rule\nRuleID: Untrusted.Python\nFilename: rule.py\nLogTypes: [AWS.CloudTrail]\nEnabled: true\n');
      writeFileSync(path.join(dir, 'rule.py'), `open(${JSON.stringify(marker)}, "w").write("x")\n__import__("os").system("touch ${marker}")\n\ndef rule(event):\n    open(${JSON.stringify(marker)}, "w")\n    return event.get("eventName") == "ConsoleLogin"\n`);
      const result = await indexPaths([dir], { workers: 0 });
      const rule = result.outcomes.find((o) => o.file.relPath === 'rule.yml')?.rules[0];
      assert.deepEqual(rule?.predicates.map((p) => [p.sourceField, p.values]), [['eventName', ['ConsoleLogin']]]);
      assert.equal(existsSync(marker), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
