import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';
import { LspSession, type Diagnostic } from '../lsp/harness';
import { report } from './report';

const EDITS = 1000;
const STORM_MS = 2000;
const HOVER_EVERY = 25;

/** A rule as an author types a value into it, character by character: most versions are broken YAML. */
function version(i: number): string {
  const typed = 'powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA'.repeat(20).slice(0, Math.floor(i / 2));
  const quote = i % 2 === 0 ? "'" : ''; // odd versions leave the quote open: a YAML error
  return `title: Storm ${i}
id: 0e0e0e0e-0000-4000-8000-000000000002
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\powershell.exe'
    CommandLine|contains: '${typed}${quote}
  filter_${i % 7}:
    User|startswith: 'NT AUTHORITY'
  condition: selection and not 1 of filter_*
tags: [attack.execution, attack.t1059.001]
level: high
`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shape = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code ?? ''} ${d.message}`).sort();

describe('edit storm over stdio', () => {
  let dir: string;
  let session: LspSession;
  const published: { uri: string; version: number | undefined }[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-storm-'));
    session = await LspSession.start({ catalog: { paths: [path.join(REPO_ROOT, 'examples', 'catalog')] } });
    // Every publication is kept (the harness keeps only the latest), then handed on to the harness's map.
    session.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      published.push({ uri: p.uri, version: p.version });
      session.diagnostics.set(p.uri, { ...(p.version !== undefined ? { version: p.version } : {}), diagnostics: p.diagnostics });
    });
    await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
  });
  after(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${EDITS} didChange in ${STORM_MS / 1000} s: hovers answer throughout, stale versions are dropped, the last diagnostics are the last text's`, async () => {
    const uri = pathToFileURL(path.join(dir, 'storm', 'rule.yml')).href;
    await session.open(uri, version(0));
    const hovers: Promise<number>[] = [];
    const started = Date.now();
    let last = 1;
    for (let i = 1; i <= EDITS; i++) {
      last = await session.change(uri, version(i));
      if (i % HOVER_EVERY === 0) {
        const sent = Date.now();
        const text = version(i);
        hovers.push(session.hover(uri, text, 'Image|endswith', 2).then((h) => {
          assert.match(h?.contents.value ?? '', /Image/, `hover after edit ${i}`);
          return Date.now() - sent;
        }));
      }
      // Pace the edits over the storm's length, a few at a time, as a fast typist with auto-repeat would.
      if (i % 10 === 0) await sleep(Math.max(0, started + (STORM_MS * i) / EDITS - Date.now()));
    }
    const stormMs = Date.now() - started;
    const latencies = (await Promise.all(hovers)).sort((a, b) => a - b);
    const final = await session.waitForDiagnostics(uri, last);
    const forUri = published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    report(`edit storm: ${EDITS} edits in ${stormMs} ms; ${latencies.length} hovers between edits, median ${latencies[latencies.length >> 1]} ms, max ${latencies[latencies.length - 1]} ms; ${forUri.length} diagnostics publications for ${EDITS + 1} versions`);

    assert.ok(stormMs < STORM_MS * 1.5, `the storm itself took ${stormMs} ms`);
    assert.equal(latencies.length, EDITS / HOVER_EVERY);
    assert.ok((latencies[latencies.length - 1] ?? 0) < 2000, `a hover waited ${latencies[latencies.length - 1]} ms behind the edits`);
    assert.ok(forUri.length < EDITS / 2, `stale versions are coalesced: ${forUri.length} publications`);
    assert.deepEqual(forUri, [...forUri].sort((a, b) => a - b), 'no older version is published after a newer one');
    assert.equal(forUri[forUri.length - 1], last);
    // The same final text opened fresh (same file name, another folder) gets exactly the same diagnostics.
    const fresh = pathToFileURL(path.join(dir, 'fresh', 'rule.yml')).href;
    await session.open(fresh, version(EDITS));
    assert.deepEqual(shape(final), shape(await session.waitForDiagnostics(fresh, 1)));
    assert.ok(!final.some((d) => d.code === 'yaml'), 'the final text closes its quote');
  });

  it('50 rules open at once: each gets its diagnostics and hovers answer', async () => {
    const uris = Array.from({ length: 50 }, (_, i) => pathToFileURL(path.join(dir, 'many', `rule_${i}.yml`)).href);
    const started = Date.now();
    await Promise.all(uris.map((uri, i) => session.open(uri, version(i * 20 + (i % 2)))));
    const all = await Promise.all(uris.map((uri) => session.waitForDiagnostics(uri, 1)));
    const hovers = await Promise.all(uris.map((uri, i) => session.hover(uri, version(i * 20 + (i % 2)), 'Image|endswith', 2)));
    report(`50 rules opened at once: all diagnosed and hovered in ${Date.now() - started} ms`);
    assert.equal(all.length, 50);
    // Odd-numbered rules leave their quote open: those, and only those, have a YAML error.
    uris.forEach((_, i) => assert.equal(all[i]?.some((d) => d.code === 'yaml'), i % 2 === 1, `rule ${i}: ${JSON.stringify(all[i])}`));
    assert.ok(hovers.every((h) => /Image/.test(h?.contents.value ?? '')));
    assert.deepEqual(session.logs.filter((l) => /failed:|Error|exception/i.test(l)), []);
  });
});
