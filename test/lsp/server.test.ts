import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { corpus, corpusMissing } from '../helpers/paths';
import { cliOverview, noisyRule } from '../helpers/noisyRule';
import { LspSession } from './harness';
import { PanelModelRequest } from '../../server/src/lsp/protocol';
import type { PanelModel } from '../../server/src/panel/model';

const skip = corpusMissing('sigma');
const SUBSET = ['rules/windows/process_creation', 'rules/windows/registry'];

/** A rule written for this test: a T1685 rule whose only selection is a high-reach indicator. */
const NOISY_RULE = noisyRule('555555555555');

describe('language server over stdio on a copy of part of the Sigma corpus', { skip }, () => {
  let dir: string;
  let session: LspSession;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-lsp-'));
    for (const sub of SUBSET) cpSync(path.join(corpus('sigma'), sub), path.join(dir, sub), { recursive: true });
    session = await LspSession.start({ catalog: { paths: [dir] } });
    await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
  });
  after(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hovers a field with the numbers of detection-lens overview', async () => {
    const uri = pathToFileURL(path.join(dir, 'noisy.yml')).href;
    await session.open(uri, NOISY_RULE);
    const hover = await session.hover(uri, NOISY_RULE, 'Image|endswith', 2);
    const cli = cliOverview('T1685', dir);
    const row = cli.fields.find((f) => f.field === 'Image');
    assert.ok(row, 'the CLI has an Image row under T1685');
    const text = hover?.contents.value ?? '';
    assert.ok(text.includes(`Under T1685: **${row.rules}** of ${cli.ruleCount} rules filter on it`), text);
    assert.match(text, /Whole catalog: \*\*\d+\*\* of \d+ rules filter on it/);
    assert.match(text, /operators: ends_with \d+/);
  });

  it('gives each rule of the overview panel its file on disk, to open it at (records cross from the index thread without it)', async () => {
    const model = (await session.connection.sendRequest(PanelModelRequest.method, { technique: 'T1059.001' })) as PanelModel | null;
    assert.ok(model && model.rules.length > 0);
    for (const rule of model.rules) {
      assert.equal(rule.file, path.join(dir, rule.path), rule.id);
      assert.ok(existsSync(rule.file ?? ''), rule.file);
    }
  });

  it('hovers a value with rules here and corpus reach equal to the CLI indicator row', async () => {
    const uri = pathToFileURL(path.join(dir, 'noisy.yml')).href;
    const hover = await session.hover(uri, NOISY_RULE, 'powershell.exe', 2);
    const cli = cliOverview('T1685', dir);
    const row = cli.indicators.find((i) => i.field === 'Image' && i.op === 'ends_with' && i.value.toLowerCase() === '\\powershell.exe');
    assert.ok(row);
    const text = hover?.contents.value ?? '';
    assert.ok(text.includes(`Rules here (T1685): **${row.rules}**`), text);
    assert.ok(text.includes(`Corpus reach: **${row.reach}** rules`), text);
    assert.match(text, /Noisy on its own/);
  });

  it('warns about a selection that fires alone on a high-reach indicator', async () => {
    const uri = pathToFileURL(path.join(dir, 'noisy2.yml')).href;
    const version = await session.open(uri, NOISY_RULE);
    const diagnostics = await session.waitForDiagnostics(uri, version);
    const warning = diagnostics.find((d) => d.code === 'noisy-selection');
    assert.ok(warning, JSON.stringify(diagnostics));
    assert.equal(warning.severity, 2);
    assert.match(warning.message, /Selection 'selection' can fire on its own .*Image ends_with '\\powershell\.exe' is tested by \d+ rules/);
    assert.ok(diagnostics.some((d) => d.code === 'high-reach-value' && d.severity === 4));
  });

  it('hovers an ATT&CK tag with name, tactics, equivalents, rule count and the overview link', async () => {
    const uri = pathToFileURL(path.join(dir, 'noisy.yml')).href;
    const text = (await session.hover(uri, NOISY_RULE, 'attack.t1685', 8))?.contents.value ?? '';
    const cli = cliOverview('T1685', dir);
    assert.match(text, /\*\*T1685 Disable or Modify Tools\*\*/);
    assert.match(text, /Tactics: Defense Impairment/);
    assert.match(text, /In the other ATT&CK version: T1562, T1562\.001, T1562\.006/);
    assert.ok(text.includes(`Rules in the catalog: **${cli.ruleCount}** (sigma ${cli.byVendor.sigma})`), text);
    assert.match(text, /\(command:detectionLens\.openOverview\?%5B%22T1685%22%5D\)/);
    const logsource = (await session.hover(uri, NOISY_RULE, 'logsource', 2))?.contents.value ?? '';
    assert.ok(logsource.includes('covers:') && logsource.includes('- Sysmon 1'), logsource);
  });

  it('updates the catalog when a rule file changes on disk, without a rebuild', async () => {
    const uri = pathToFileURL(path.join(dir, 'noisy.yml')).href;
    const reachOf = async () => Number(/Corpus reach: \*\*(\d+)\*\*/.exec((await session.hover(uri, NOISY_RULE, 'powershell.exe', 2))?.contents.value ?? '')?.[1]);
    const before = await reachOf();
    const added = path.join(dir, 'rules', 'added_rule.yml');
    writeFileSync(added, NOISY_RULE.replace('11111111-2222', '99999999-2222'));
    await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(added).href, type: 1 }] });
    await session.waitForStatus((s) => s.rules === (session.lastStatus?.rules ?? 0) + 0 && s.state === 'ready');
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await reachOf();
    }
    assert.equal(after, before + 1, 'the new rule counts in the reach');
    unlinkSync(added);
    await session.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(added).href, type: 3 }] });
    let removed = after;
    for (let i = 0; i < 50 && removed === after; i++) {
      await new Promise((r) => setTimeout(r, 20));
      removed = await reachOf();
    }
    assert.equal(removed, before, 'a deleted rule leaves the catalog');
  });

  it('gives precise diagnostics for broken documents and logs no exception', async () => {
    const cases: [string, string, RegExp][] = [
      ['half-typed YAML', NOISY_RULE.replace("    condition: selection\n", '    condition: [selection\n'), /./],
      ['tabs', NOISY_RULE.replace('        Image|endswith', '\tImage|endswith'), /./],
      ['condition that does not parse', NOISY_RULE.replace('condition: selection', 'condition: selection and ('), /condition: /],
      ['unknown modifier', NOISY_RULE.replace('Image|endswith', 'Image|endswithh'), /unknown modifier 'endswithh'/],
    ];
    for (const [name, text, pattern] of cases) {
      const uri = pathToFileURL(path.join(dir, `broken-${name.replace(/\W+/g, '_')}.yml`)).href;
      const version = await session.open(uri, text);
      const diagnostics = await session.waitForDiagnostics(uri, version);
      const errors = diagnostics.filter((d) => d.severity === 1);
      assert.ok(errors.length > 0, `${name}: ${JSON.stringify(diagnostics)}`);
      assert.ok(errors.some((d) => pattern.test(d.message)), `${name}: ${JSON.stringify(errors)}`);
    }
    const unknown = (await session.waitForDiagnostics(pathToFileURL(path.join(dir, 'broken-unknown_modifier.yml')).href, 1))[0];
    assert.deepEqual(unknown?.range.start, { line: 8, character: 8 }, 'the unknown modifier is reported at its key');
    assert.equal(session.logs.filter((l) => /failed|uncaught|unhandled/i.test(l)).length, 0, session.logs.join('\n'));
  });
});

describe('hover while the catalog is still indexing', { skip }, () => {
  it('answers within 100 ms', async () => {
    const session = await LspSession.start({ catalog: { paths: [corpus('sigma')] } });
    try {
      await session.waitForStatus((s) => s.state === 'indexing');
      const uri = 'untitled:during-index.yml';
      await session.open(uri, NOISY_RULE);
      const latencies: number[] = [];
      for (let i = 0; i < 20 && session.lastStatus?.state === 'indexing'; i++) {
        const started = performance.now();
        const hover = await session.hover(uri, NOISY_RULE, 'Image|endswith', 2);
        latencies.push(performance.now() - started);
        assert.ok(hover, 'a hover answers from the partial catalog');
      }
      assert.ok(latencies.length > 0, 'indexing was still running when the hovers were sent');
      console.log(`hover during indexing: ${latencies.length} requests, max ${Math.max(...latencies).toFixed(1)} ms`);
      assert.ok(Math.max(...latencies) < 100, latencies.join(', '));
    } finally {
      await session.stop();
    }
  });
});
