/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/paths';
import { chromiumMissing, launch, openPage, screenshotPath, type PageWatch } from './browser';

const skip = chromiumMissing();

const TITLE = `<img src=x onerror="window.__pwned='title'"></script><script>window.__pwned='script'</script> [open](command:workbench.action.quit) ![x](https://example.invalid/x.png)`;
const VALUES = [`<img src=x onerror="window.__pwned='value'">`, `</script><script>alert('value')</script>`, `[run](command:workbench.action.terminal.new)`];
const EXCLUDED = `<svg onload="window.__pwned='exclusion'">`;

/** A Sigma rule written for this test: every string a page could mistake for markup or a link. */
const RULE = `title: '${TITLE.replace(/'/g, "''")}'
id: 5b1c3e1e-1d2f-4f6a-9a55-0c7d3b2f9e11
status: test
description: hostile strings for the panel test
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        CommandLine|contains:
${VALUES.map((v) => `            - '${v.replace(/'/g, "''")}'`).join('\n')}
    filter:
        Image|endswith: '${EXCLUDED.replace(/'/g, "''")}'
    condition: selection and not filter
tags:
    - attack.t1562.001
level: low
`;

describe('hostile rule strings on the overview page are text and run nothing', { skip }, () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-hostile-'));
    mkdirSync(path.join(dir, 'rules'));
    writeFileSync(path.join(dir, 'rules', 'hostile.yml'), RULE);
    const file = path.join(dir, 'page.html');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'overview', 'T1562', path.join(dir, 'rules'), '--html', file]);
    browser = await launch();
    ({ page, watch } = await openPage(browser, file));
    for (const expander of await page.locator('.dl-expander').all()) await expander.click();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('indexes the rule, so the page really holds the strings', async () => {
    assert.equal(await page.locator('[data-kpi="rules"] .dl-kpi-value').textContent(), '1');
  });

  it('shows the title and every value exactly as written', async () => {
    const titles = await page.locator('.dl-rule-title').allTextContents();
    assert.ok(titles.length >= 1 && titles.every((t) => t === TITLE), JSON.stringify(titles));
    const values = await page.locator('#indicators .dl-value').allTextContents();
    assert.deepEqual([...values].sort(), [...VALUES].sort());
    assert.deepEqual(await page.locator('#exclusions .dl-value').allTextContents(), [EXCLUDED]);
    await page.screenshot({ path: screenshotPath('panel-hostile.png'), fullPage: true });
  });

  it('runs nothing: no dialog, no injected element, no script error, no CSP violation', async () => {
    assert.deepEqual(watch.dialogs, []);
    assert.deepEqual(watch.errors, []);
    assert.deepEqual(watch.console.filter((c) => /Content Security Policy|Refused/i.test(c)), []);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      imgs: document.querySelectorAll('img, svg, iframe, object, embed').length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.type || (s.nonce ? 'nonce' : 'none')),
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
      links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''),
    }));
    assert.equal(state.pwned, undefined);
    assert.equal(state.imgs, 0);
    assert.deepEqual(state.scripts, ['application/json', 'application/json', 'nonce']);
    assert.equal(state.handlers, 0);
    assert.ok(state.links.every((href) => href.startsWith('file:///')), `only file links to rules: ${JSON.stringify(state.links)}`);
  });
});
