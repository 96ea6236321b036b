import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import MarkdownIt = require('markdown-it');
import { REPO_ROOT } from '../helpers/paths';
import { LspSession, positionAtOffset } from '../lsp/harness';
import { report } from './report';

/** Strings an attacker would put in a shared catalog or a rule under review. */
const HOSTILE = {
  html: '<img src=x onerror=alert(1)>',
  script: '</script><script>alert(1)</script>',
  link: '[click me](command:workbench.action.terminal.new)',
  uri: 'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D',
  auto: '<command:workbench.action.reloadWindow>',
  image: '![x](https://attacker.example/track.png)',
  ansi: '\u001b[2J\u001b[31mscreen wiped',
};

/** YAML single-quoted: the only escape is a doubled quote; control characters need a double-quoted scalar. */
const sq = (s: string) => `'${s.replace(/'/g, "''")}'`;
const dq = (s: string) => JSON.stringify(s);

function hostileRule(title: string): string {
  return `title: ${sq(`${title} ${HOSTILE.html}${HOSTILE.script}`)}
id: 6a1c7f1e-0000-4000-8000-00000000000${title.length % 10}
status: test
description: ${sq(`${HOSTILE.link} ${HOSTILE.image} ${HOSTILE.auto}`)}
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    CommandLine|contains:
      - ${sq(HOSTILE.html)}
      - ${sq(HOSTILE.script)}
      - ${sq(HOSTILE.link)}
      - ${sq(HOSTILE.uri)}
      - ${sq(HOSTILE.auto)}
      - ${sq(HOSTILE.image)}
      - ${dq(HOSTILE.ansi)}
    '<b>Field</b>[x](command:evil)': ${sq(HOSTILE.html)}
    EventID|gt: ${dq(`${HOSTILE.html}${HOSTILE.link}${HOSTILE.ansi}`)}
  filter_main:
    User: ${sq(HOSTILE.link)}
  condition: selection and not filter_main
tags: [attack.execution, attack.t1059.001]
level: high
`;
}

/** VS Code renders hovers as CommonMark; rendering with HTML allowed is the worst case. */
const md = new MarkdownIt({ html: true, linkify: true });

/** What rendered hover HTML may contain: only the extension's own overview command as a link, no tags from the rule. */
function unsafeParts(html: string): string[] {
  const bad: string[] = [];
  for (const m of html.matchAll(/<a\s[^>]*href="([^"]*)"/g)) if (!m[1]?.startsWith('command:detectionLens.openOverview?')) bad.push(`link ${m[1]}`);
  for (const m of html.matchAll(/<(img|script|b|iframe|svg)\b/gi)) bad.push(`tag <${m[1]}`);
  return bad;
}

describe('hostile strings in rules stay text', () => {
  let dir: string;
  let session: LspSession;
  const doc = hostileRule('Under review');
  const uri = () => pathToFileURL(path.join(dir, 'review', 'hostile.yml')).href;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-inject-'));
    mkdirSync(path.join(dir, 'catalog'));
    mkdirSync(path.join(dir, 'review'));
    for (let i = 0; i < 3; i++) writeFileSync(path.join(dir, 'catalog', `hostile_${i}.yml`), hostileRule(`Catalog ${i}`));
    writeFileSync(path.join(dir, 'review', 'hostile.yml'), doc);
    session = await LspSession.start({ catalog: { paths: [path.join(dir, 'catalog')] } });
    await session.waitForStatus((s) => s.state === 'ready' && s.rules >= 3);
    await session.open(uri(), doc);
  });
  after(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every hover on the rule renders without HTML or links from the rule text', async () => {
    // Hover every key, every value, the tags and the log source: each place hostile text can flow into.
    const keys = ['CommandLine|contains', "'<b>Field</b>", 'User:', 'logsource', 'attack.t1059.001', 'attack.execution', 'title'].map((k) => doc.indexOf(k) + 2);
    const values = [...doc.matchAll(/^ {6}- (.+)$|^ {4}\S.*?: (.+)$/gm)].map((m) => (m.index ?? 0) + m[0].lastIndexOf(m[1] ?? m[2] ?? '') + 2);
    let hovers = 0;
    let links = 0;
    for (const offset of [...keys, ...values]) {
      const hover = await session.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri() }, position: positionAtOffset(doc, offset) });
      if (!hover) continue;
      hovers++;
      const html = md.render(hover.contents.value);
      links += (html.match(/<a\s/g) ?? []).length;
      assert.deepEqual(unsafeParts(html), [], `hover at ${JSON.stringify(doc.slice(offset - 1, offset + 30))}:\n${hover.contents.value}`);
      // A hostile value shows as the text it is.
      if (/CommandLine/.test(doc.slice(offset - 1, offset + 12))) assert.ok(hover.contents.value.length > 0);
    }
    report(`injection: ${hovers} of ${keys.length + values.length} places hovered, rendered, ${links} links (all detectionLens.openOverview), no HTML`);
    assert.ok(hovers >= values.length, `only ${hovers} hovers answered`);
    assert.ok(links >= 1, 'the technique hover keeps its own overview link');
  });

  it('a value hover shows the hostile value as visible text', async () => {
    const at = doc.indexOf(`- ${sq(HOSTILE.script)}`) + 3;
    const hover = await session.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri() }, position: positionAtOffset(doc, at) });
    const html = md.render(hover?.contents.value ?? '');
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), html);
  });

  it('diagnostics carry a hostile value verbatim as plain text (the editor shows messages as text, never markup)', async () => {
    const diagnostics = await session.waitForDiagnostics(uri(), 1);
    const echoed = diagnostics.find((d) => d.message.includes('compares numbers'));
    assert.ok(echoed, JSON.stringify(diagnostics));
    assert.ok(echoed.message.includes(`${HOSTILE.html}${HOSTILE.link}${HOSTILE.ansi}`), echoed.message);
  });

  it('the CLI never writes a control character from a rule to the terminal', () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const outputs = [
      execFileSync(process.execPath, [cli, 'index', path.join(dir, 'catalog')], { encoding: 'utf8' }),
      execFileSync(process.execPath, [cli, 'overview', 'T1059.001', path.join(dir, 'catalog')], { encoding: 'utf8' }),
      checkOutput(cli, path.join(dir, 'review', 'hostile.yml'), path.join(dir, 'catalog')),
    ];
    for (const out of outputs) {
      // eslint-disable-next-line no-control-regex
      const control = out.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      assert.equal(control, null, `control character ${JSON.stringify(control?.[0])} in:\n${out.slice(0, 400)}`);
    }
    assert.ok(outputs.some((out) => out.includes('\\x1b[2J')), 'the escape shows as visible text');
  });
});

/** `check` exits 1 when it finds an error; its output is what matters here. */
function checkOutput(cli: string, file: string, catalog: string): string {
  try {
    return execFileSync(process.execPath, [cli, 'check', file, '--catalog', catalog], { encoding: 'utf8' });
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? '');
  }
}
