/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Overview } from '../../server/src/catalog/stats/overview';
import { corpus, corpusMissing, REPO_ROOT } from '../helpers/paths';
import { chromiumMissing, launch, openPage, screenshotPath, type PageWatch } from './browser';
import { readPage, type ShownPage } from './readPage';

const VENDORS = ['sigma', 'elastic', 'splunk', 'sentinel', 'chronicle', 'panther'];
const skip = VENDORS.map((v) => corpusMissing(v)).find(Boolean) || chromiumMissing();
const run = promisify(execFile);

/** `detection-lens overview T1562 <all six corpora> …extra --json`: the numbers the page must show. */
async function cli(extra: string[]): Promise<Overview> {
  const args = [path.join(REPO_ROOT, 'dist', 'cli.js'), 'overview', 'T1562', ...VENDORS.map((v) => corpus(v)), ...extra, '--json'];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as Overview;
}

const ROWS = 25;

/** A vendor filter alone: the unfiltered JSON already says how many rules that vendor has. */
function assertVendorOnly(shown: ShownPage, all: Overview, vendor: string): void {
  const n = all.byVendor[vendor as keyof Overview['byVendor']];
  assert.equal(shown.kpis.rules, n, `${vendor} only: rules`);
  assert.deepEqual(shown.byVendor, Object.fromEntries(Object.keys(all.byVendor).map((v) => [v, v === vendor ? n : 0])));
  assert.deepEqual(shown.ruleGroups, { [vendor]: n });
  assert.ok((shown.kpis.fields ?? 0) < all.fields.length && (shown.kpis.indicators ?? 0) < all.indicators.length, 'fewer fields and indicators');
  const reachAll = new Map(all.indicators.map((i) => [`${i.field}\u0000${i.op}\u0000${i.value.toLowerCase()}`, i.reach]));
  for (const row of shown.indicators) {
    assert.equal(row.reach, reachAll.get(`${row.field}\u0000${row.op}\u0000${row.value.toLowerCase()}`), `reach of ${row.value} is whole-catalog, unchanged by the filter`);
  }
}

function assertMatches(shown: ShownPage, expected: Overview, label: string): void {
  assert.equal(shown.kpis.rules, expected.ruleCount, `${label}: rules`);
  assert.equal(shown.kpis.events, expected.events.length, `${label}: events`);
  assert.equal(shown.kpis.fields, expected.fields.length, `${label}: fields`);
  assert.equal(shown.kpis.indicators, expected.indicators.length, `${label}: indicators`);
  assert.equal(shown.kpis.exclusions, expected.exclusions.length, `${label}: exclusions`);
  assert.deepEqual(shown.byVendor, expected.byVendor, `${label}: rules per vendor`);
  assert.deepEqual(shown.events, expected.events.slice(0, ROWS).map((e) => ({ provider: e.provider, event: e.event, rules: e.rules })), `${label}: events rows`);
  assert.deepEqual(shown.chart, expected.fields.slice(0, 12).map((f) => ({ field: f.field, rules: f.rules })), `${label}: field chart`);
  assert.deepEqual(shown.fields, expected.fields.slice(0, ROWS).map((f) => ({
    field: f.field, rules: f.rules, ops: Object.entries(f.ops).map(([op, n]) => `${op} ${n}`).join(' · '), samples: f.samples,
  })), `${label}: fields rows`);
  assert.deepEqual(shown.indicators.map(({ noisy, ...row }) => { void noisy; return row; }),
    expected.indicators.slice(0, ROWS).map((i) => ({ value: i.value, field: i.field, op: i.op, rules: i.rules, reach: i.reach })), `${label}: indicator rows`);
  assert.deepEqual(shown.exclusions, expected.exclusions.slice(0, ROWS).map((e) => ({ value: e.value, field: e.field, op: e.op, rules: e.rules })), `${label}: exclusion rows`);
  const groups = Object.fromEntries(Object.entries(expected.byVendor).filter(([, n]) => n > 0));
  assert.deepEqual(shown.ruleGroups, groups, `${label}: rule groups`);
  assert.equal(shown.ruleLinks, Object.values(groups).reduce((a, n) => a + Math.min(50, n), 0), `${label}: rule links shown`);
}

describe('overview page for T1562 over the whole corpus, in headless Chromium', { skip }, () => {
  let dir: string;
  let file: string;
  let browser: Browser;
  let page: Page;
  let watch: PageWatch;
  const expected: Record<string, Overview> = {};

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-panel-'));
    file = path.join(dir, 'T1562.html');
    // Two at a time on two cores: the page (with the unfiltered JSON), then the filtered JSON.
    // Two CLI runs side by side (two cores): the page with the unfiltered JSON, and a filtered JSON.
    [expected.all, expected.sigmaEndpoint] = await Promise.all([cli(['--html', file]), cli(['--vendor', 'sigma', '--domain', 'endpoint'])]);
    browser = await launch();
    ({ page, watch } = await openPage(browser, file));
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is one self-contained file with a strict CSP', () => {
    const html = readFileSync(file, 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|http/);
    assert.equal(/<link |<script[^>]* src=/.exec(html), null, 'nothing loads from another file');
  });

  it('shows every section with the numbers of the CLI JSON', async () => {
    assert.ok(expected.all!.ruleCount > 100, `T1562 rules: ${expected.all!.ruleCount}`);
    for (const id of ['events', 'fields', 'indicators', 'exclusions', 'rules']) assert.ok(await page.locator(`section#${id} h2`).isVisible(), id);
    assertMatches(await readPage(page), expected.all!, 'unfiltered');
    await page.screenshot({ path: screenshotPath('panel-T1562.png') });
    await page.locator('#indicators-h').scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById('indicators-h')?.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('panel-T1562-indicators.png') });
    assert.deepEqual(watch.errors, []);
  });

  it('marks noisy indicators by the catalog threshold and lists an indicator\'s rules on demand', async () => {
    const shown = await readPage(page);
    const noisy = shown.indicators.filter((i) => i.noisy);
    const quiet = shown.indicators.filter((i) => !i.noisy);
    assert.ok(noisy.length > 0, 'some top indicators are noisy');
    if (quiet.length) assert.ok(Math.min(...noisy.map((i) => i.reach)) > Math.max(...quiet.map((i) => i.reach)), 'noisy means a higher reach than every quiet one');
    const first = page.locator('tr[data-row="indicator"]').first().locator('.dl-expander');
    await first.click();
    assert.equal(await first.getAttribute('aria-expanded'), 'true');
    const listed = await page.locator('#indicators .dl-list-row [data-rule]').count();
    assert.equal(listed, expected.all!.indicators[0]!.rules);
    await first.click();
  });

  it('filters every section at once: vendor, then vendor and domain; reach stays whole-catalog', async () => {
    await page.locator('[data-filter="vendors:sigma"]').click();
    const sigma = await readPage(page);
    assertVendorOnly(sigma, expected.all!, 'sigma');
    assert.match(sigma.summary, new RegExp(`Showing ${expected.all!.byVendor.sigma.toLocaleString('en-US')} of`));
    await page.locator('[data-filter="domains:endpoint"]').click();
    assertMatches(await readPage(page), expected.sigmaEndpoint!, 'sigma + endpoint');
    await page.screenshot({ path: screenshotPath('panel-T1562-filtered.png') });
    await page.locator('[data-clear-filters]').click();
    assertMatches(await readPage(page), expected.all!, 'cleared');
  });

  it('works from the keyboard: arrows move between chips, Enter and Space toggle, focus stays on the chip', async () => {
    await page.locator('[data-filter="vendors:sigma"]').focus();
    await page.keyboard.press('Enter');
    assertVendorOnly(await readPage(page), expected.all!, 'sigma');
    const focusedFilter = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.filter);
    assert.equal(await focusedFilter(), 'vendors:sigma', 'focus stays on the chip after the redraw');
    await page.locator('[data-filter="domains:cloud"]').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focusedFilter(), 'domains:endpoint', 'Endpoint (most rules) comes before Cloud');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('[data-filter="domains:endpoint"]').getAttribute('aria-pressed'), 'true');
    assertMatches(await readPage(page), expected.sigmaEndpoint!, 'sigma + endpoint by keyboard');
    await page.keyboard.press('Enter');
    await page.locator('[data-filter="vendors:sigma"]').focus();
    await page.keyboard.press('Enter');
    assertMatches(await readPage(page), expected.all!, 'all toggled off');
  });

  it('reads in a light scheme too', async () => {
    const light = await openPage(browser, file, 'light');
    const colors = await light.page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
    assert.deepEqual(colors, ['rgb(255, 255, 255)', 'rgb(59, 59, 59)']);
    await light.page.screenshot({ path: screenshotPath('panel-T1562-light.png') });
    await light.page.close();
  });
});
