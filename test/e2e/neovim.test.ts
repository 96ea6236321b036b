import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Overview } from '../../server/src/catalog/stats/overview';
import { parseSigmaDocument } from '../../server/src/sigma/document';
import { corpus, corpusMissing, REPO_ROOT } from '../helpers/paths';
import { cliOverview, noisyRule } from '../helpers/noisyRule';
import { ensureCodeServer } from './codeServer';

/** A second real client: Debian's Neovim 0.7.2, headless, with the Lua script in neovim/lsp.lua. */
const NVIM = '/usr/bin/nvim';
const sigmaMissing = corpusMissing('sigma');
// The e2e install script also installs Debian's neovim (and is quick once everything is there).
const installed = sigmaMissing ? { skip: sigmaMissing } : ensureCodeServer();
const skip = 'skip' in installed ? installed.skip : existsSync(NVIM) ? false : `NEOVIM MISSING: ${NVIM}; test skipped`;
if (skip && !sigmaMissing) console.warn(`\n*** ${skip} ***\n`);

const RULE = noisyRule('666666666666');

interface NvimResult {
  error?: string;
  rules?: number;
  diagnostic?: { message: string; severity: number; line: number };
  hover?: string;
  action?: string;
  text?: string;
}

describe('the language server in headless Neovim over stdio', { skip, timeout: 300_000 }, () => {
  let root: string;
  let result: NvimResult;
  let expected: Overview;

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dl-nvim-'));
    const workspace = path.join(root, 'workspace');
    cpSync(path.join(corpus('sigma'), 'rules/windows/process_creation'), path.join(workspace, 'catalog'), { recursive: true });
    mkdirSync(path.join(workspace, 'detections'));
    const rule = path.join(workspace, 'detections', 'powershell_started.yml');
    writeFileSync(rule, RULE);
    const out = path.join(root, 'result.json');
    const started = Date.now();
    const run = spawnSync(NVIM, ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${path.join(REPO_ROOT, 'test', 'e2e', 'neovim', 'lsp.lua')}`], {
      env: { ...process.env, DL_SERVER: path.join(REPO_ROOT, 'dist', 'server.js'), DL_RULE: rule, DL_ROOT: workspace, DL_OUT: out, XDG_STATE_HOME: root, XDG_DATA_HOME: root },
      timeout: 180_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
    console.log(`nvim ran ${Date.now() - started} ms (exit ${run.status})`);
    assert.ok(existsSync(out), `nvim wrote no result: ${run.stderr?.toString()} ${run.stdout?.toString()}`);
    result = JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
    assert.equal(result.error, undefined, result.error);
    assert.equal(run.status, 0);
    expected = cliOverview('T1685', workspace);
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('hovers a field with the counts of detection-lens overview', () => {
    const row = expected.fields.find((f) => f.field === 'Image');
    assert.ok(row);
    assert.ok(result.hover?.includes(`Under T1685: **${row.rules}** of ${expected.ruleCount} rules filter on it`), result.hover);
  });

  it('publishes the noisy-selection warning on the selection', () => {
    assert.equal(result.diagnostic?.severity, 2, 'a warning');
    assert.match(result.diagnostic?.message ?? '', /Selection 'selection' can fire on its own/);
    assert.equal(result.diagnostic?.line, RULE.split('\n').findIndex((l) => l.includes('selection:')));
  });

  it('applies an exclusion code action: a filter and the rewritten condition', () => {
    assert.match(result.action ?? '', /^Exclude .+ — excluded by \d+ rules? under T1685$/);
    const text = result.text ?? '';
    assert.match(text, /\n {4}condition: selection and not (1 of )?filter_(main|optional)_\S+\n/, text);
    const rule = parseSigmaDocument(text).rule;
    assert.ok(rule?.condition?.ok);
    assert.ok(rule.predicates.some((p) => p.exclusion), 'the filter is an exclusion of the rule');
  });
});
